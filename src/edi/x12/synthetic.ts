/**
 * Generates a large, valid interchange of 850s and 856s as a stream of chunks, for benchmarks and the
 * bounded-memory test. Deterministic: the same size gives the same bytes.
 */
export interface SyntheticOptions {
  /** Approximate size in bytes; the interchange is closed once it is reached. */
  bytes: number;
  /** Line ending after each '~' (default '\n'). */
  lineEnding?: string;
  /** Chunk size in bytes (default 64 KiB). */
  chunkBytes?: number;
}

const ISA = 'ISA*00*          *00*          *ZZ*CROSSDOCK      *ZZ*PARTNER        *240115*1200*U*00401*000000001*0*P*>~';

function po850(n: number, control: string): string[] {
  const segs = [
    `ST*850*${control}`,
    `BEG*00*SA*PO${n}**20240115`,
    'REF*DP*038',
    'DTM*002*20240201',
    'TD5*A*92*P3**SEE ROUTING GUIDE',
    'N1*ST*WAREHOUSE 12*92*0003947268',
    'N3*31875 SOLON RD',
    'N4*SOLON*OH*44139',
  ];
  const lines = 8 + (n % 5);
  for (let i = 1; i <= lines; i++) {
    segs.push(`PO1*${i}*${(i * 7) % 400}*EA*${(i * 1.25).toFixed(2)}*TE*CB*${100000 + n + i}*UP*0${(n * 31 + i) % 99999999999}`);
    segs.push(`PID*F****WIDGET MODEL ${i} BLUE`);
  }
  segs.push(`CTT*${lines}`);
  segs.push(`SE*${segs.length + 1}*${control}`);
  return segs;
}

function asn856(n: number, control: string): string[] {
  const segs = [
    `ST*856*${control}`,
    `BSN*00*SH${n}*20240115*1200*0001`,
    'HL*1**S',
    'TD1*CTN25*4****G*120*LB',
    'TD5*B*2*UPSN*M*UPS GROUND',
    'REF*BM*1Z999AA10123456784',
    'DTM*011*20240115',
    'N1*ST*WAREHOUSE 12*92*0003947268',
    'HL*2*1*O',
    `PRF*PO${n}`,
  ];
  let hl = 3;
  const packs = 2 + (n % 3);
  for (let p = 0; p < packs; p++) {
    const pack = hl++;
    segs.push(`HL*${pack}*2*P`, `MAN*GM*00000${n}${p}`);
    segs.push(`HL*${hl++}*${pack}*I`, `LIN**UP*0${(n * 17 + p) % 99999999999}*VP*SKU-${p}`, `SN1**${p + 1}*EA`, 'PID*F****WIDGET');
  }
  segs.push(`CTT*${hl - 1}`);
  segs.push(`SE*${segs.length + 1}*${control}`);
  return segs;
}

export async function* syntheticInterchange(options: SyntheticOptions): AsyncGenerator<Buffer> {
  const le = options.lineEnding ?? '\n';
  const chunkBytes = options.chunkBytes ?? 64 * 1024;
  const perGroup = 500;
  let pending = `${ISA}${le}`;
  let written = 0;
  let n = 0;
  let groups = 0;
  let inGroup = 0;
  while (written + pending.length < options.bytes || inGroup > 0) {
    if (inGroup === 0) {
      groups++;
      pending += `GS*${groups % 2 === 1 ? 'PO' : 'SH'}*CROSSDOCK*PARTNER*20240115*1200*${groups}*X*004010~${le}`;
    }
    const control = String(inGroup + 1).padStart(4, '0');
    const segs = groups % 2 === 1 ? po850(n, control) : asn856(n, control);
    pending += segs.join(`~${le}`) + `~${le}`;
    n++;
    inGroup++;
    if (inGroup === perGroup || written + pending.length >= options.bytes) {
      pending += `GE*${inGroup}*${groups}~${le}`;
      inGroup = 0;
    }
    if (pending.length >= chunkBytes) {
      written += pending.length;
      yield Buffer.from(pending, 'latin1');
      pending = '';
    }
  }
  pending += `IEA*${groups}*000000001~${le}`;
  yield Buffer.from(pending, 'latin1');
}
