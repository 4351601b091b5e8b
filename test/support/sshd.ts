import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** A real OpenSSH server on loopback, owned by the test run (not the system's sshd service). */
export interface SshdServer {
  host: string;
  port: number;
  username: string;
  /** The client's private key (OpenSSH format), authorized on this server. */
  privateKey: string;
  /** The server's host key fingerprint as `ssh-keygen -lf` prints it. */
  hostFingerprint: string;
  /** An empty directory to use as the remote root (absolute paths; no chroot). */
  root: string;
  /** Kills every per-connection sshd process: clients see their connection drop; the listener stays. */
  dropConnections(): void;
  stop(): Promise<void>;
}

const SSHD = '/usr/sbin/sshd';
const SSH_KEYGEN = '/usr/bin/ssh-keygen';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once the port answers with an SSH banner. */
function banner(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('data', (data) => done(data.toString('latin1').startsWith('SSH-2.0')));
    socket.once('error', () => done(false));
  });
}

/** Every descendant pid of `pid`, read from /proc (no procps needed). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: fields resume after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const out: number[] = [];
  const visit = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      visit(c);
    }
  };
  visit(pid);
  return out;
}

function killAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

/**
 * Starts `sshd -D -e -f <config>` as the current user on a free 127.0.0.1 port, with a host key and
 * a client key made for this run. Installs nothing: without OpenSSH server it fails with the fix.
 */
export async function startSshd(): Promise<SshdServer> {
  if (!existsSync(SSHD)) {
    throw new Error(`${SSHD} not found: the SFTP tests need OpenSSH server (apt-get install openssh-server)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'cd-sshd-'));
  const root = join(dir, 'remote');
  mkdirSync(root);
  const keygen = (file: string, comment: string) => execFileSync(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
  keygen(join(dir, 'host_key'), 'crossdock-test-host');
  keygen(join(dir, 'client_key'), 'crossdock-test-client');
  copyFileSync(join(dir, 'client_key.pub'), join(dir, 'authorized_keys'));
  // `256 SHA256:… comment (ED25519)`
  const hostFingerprint = execFileSync(SSH_KEYGEN, ['-lf', join(dir, 'host_key.pub')], { encoding: 'utf8' }).split(' ')[1] ?? '';
  if (process.getuid?.() === 0) {
    // As root sshd separates privileges and insists its empty chroot directory exists.
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  }
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      'Subsystem sftp internal-sftp',
      'StrictModes no',
      'UsePAM no',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let exitedEarly = false;
  void exited.then(() => {
    exitedEarly = true;
  });
  const deadline = Date.now() + 10_000;
  while (!(await banner(port))) {
    if (exitedEarly || Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`sshd did not start on 127.0.0.1:${port}: ${stderr.trim() || 'no output'}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const pid = child.pid ?? 0;
  return {
    host: '127.0.0.1',
    port,
    username: userInfo().username,
    privateKey: readFileSync(join(dir, 'client_key'), 'utf8'),
    hostFingerprint,
    root,
    dropConnections: () => killAll(descendants(pid), 'SIGKILL'),
    stop: async () => {
      const sessions = descendants(pid);
      child.kill('SIGTERM');
      killAll(sessions, 'SIGKILL');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (!exitedEarly) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
