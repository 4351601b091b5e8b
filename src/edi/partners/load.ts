import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PartnerErrors } from './errors.js';
import { PartnerFile, type PartnerProfile } from './profile.js';

/** Parses partner profiles from YAML or JSON text (`partners: [...]`); every problem names its path. */
export function parsePartnerProfiles(text: string, origin = 'partners'): PartnerProfile[] {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    throw PartnerErrors.invalid(`${origin}: not YAML/JSON: ${(err as Error).message}`, { origin });
  }
  const parsed = PartnerFile.safeParse(data);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const path = first?.path.join('.') ?? '';
    throw PartnerErrors.invalid(`${origin}: ${path || '(root)'}: ${first?.message ?? 'invalid'}`, {
      origin,
      path,
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const ids = new Set<string>();
  for (const p of parsed.data.partners) {
    if (ids.has(p.id)) throw PartnerErrors.invalid(`${origin}: partner ${p.id} is defined twice`, { origin, partner: p.id });
    ids.add(p.id);
  }
  return parsed.data.partners;
}

export function loadPartnerProfiles(file: string): PartnerProfile[] {
  return parsePartnerProfiles(readFileSync(file, 'utf8'), file);
}

/**
 * Profiles from a file, or from every `.yaml`, `.yml` and `.json` file of a directory (one partner
 * per file is the usual layout); a partner id defined twice across files is refused.
 */
export function loadPartnerProfilesFrom(path: string): PartnerProfile[] {
  if (!statSync(path).isDirectory()) return loadPartnerProfiles(path);
  const files = readdirSync(path)
    .filter((f) => /\.(ya?ml|json)$/i.test(f))
    .sort();
  const all: PartnerProfile[] = [];
  for (const f of files) {
    for (const p of loadPartnerProfiles(join(path, f))) {
      if (all.some((x) => x.id === p.id))
        throw PartnerErrors.invalid(`${join(path, f)}: partner ${p.id} is defined twice`, { origin: f, partner: p.id });
      all.push(p);
    }
  }
  return all;
}
