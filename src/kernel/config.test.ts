import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { CrossdockError } from './errors.js';

function dirWith(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-config-'));
  writeFileSync(join(dir, 'crossdock.config.yaml'), yaml);
  return dir;
}

function errorOf(fn: () => unknown): CrossdockError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CrossdockError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

describe('config', () => {
  it('has working defaults with no file and no environment', () => {
    const config = loadConfig({ cwd: mkdtempSync(join(tmpdir(), 'cd-')), env: {} });
    expect(config).toMatchObject({ port: 7070, dataDir: './data', store: 'sqlite', bus: 'embedded' });
  });

  it('reads the file, then environment variables over it, then flags over both', () => {
    const cwd = dirWith('port: 8000\ndataDir: /srv/crossdock\neventlog:\n  defaultPartitions: 4\n');
    expect(loadConfig({ cwd, env: {} })).toMatchObject({ port: 8000, dataDir: '/srv/crossdock', eventlog: { defaultPartitions: 4 } });
    expect(loadConfig({ cwd, env: { CROSSDOCK_PORT: '9000' } }).port).toBe(9000);
    expect(loadConfig({ cwd, env: { CROSSDOCK_PORT: '9000' }, overrides: { port: 9100 } }).port).toBe(9100);
  });

  it('names the bad key, what was expected and where the value came from', () => {
    const cwd = dirWith('port: seventy\n');
    const err = errorOf(() => loadConfig({ cwd, env: {} }));
    expect(err.code).toBe('CD_ERR_CONFIG');
    expect(err.message).toMatch(/port: .*number/);
    expect(err.message).toContain('crossdock.config.yaml');
    expect(err.details.path).toBe('port');
  });

  it('names nested keys and unknown keys', () => {
    const nested = errorOf(() => loadConfig({ cwd: dirWith('eventlog:\n  retry:\n    maxAttempts: 0\n'), env: {} }));
    expect(nested.details.path).toBe('eventlog.retry.maxAttempts');
    const unknown = errorOf(() => loadConfig({ cwd: dirWith('prot: 80\n'), env: {} }));
    expect(unknown.message).toContain('prot');
  });

  it('reports a bad environment variable by name', () => {
    const err = errorOf(() => loadConfig({ cwd: mkdtempSync(join(tmpdir(), 'cd-')), env: { CROSSDOCK_DEMO: 'maybe' } }));
    expect(err.message).toContain('CROSSDOCK_DEMO');
  });

  it('refuses a store that is neither sqlite nor postgres, and a missing explicit file', () => {
    const err = errorOf(() => loadConfig({ cwd: mkdtempSync(join(tmpdir(), 'cd-')), env: { CROSSDOCK_STORE: 'mysql://x' } }));
    expect(err.details.path).toBe('store');
    expect(err.message).toContain('CROSSDOCK_STORE');
    expect(errorOf(() => loadConfig({ file: '/nonexistent/crossdock.yaml', env: {} })).message).toContain('does not exist');
  });

  it('refuses YAML that is not a mapping or not YAML', () => {
    expect(errorOf(() => loadConfig({ cwd: dirWith('- a\n- b\n'), env: {} })).message).toContain('mapping');
    expect(errorOf(() => loadConfig({ cwd: dirWith('port: [\n'), env: {} })).message).toContain('not valid YAML');
  });
});
