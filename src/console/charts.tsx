/**
 * Hand-written SVG charts (no chart library): a time series line chart and a horizontal bar list.
 * Each mark has a <title>, so hovering shows the exact figure.
 */

/** Colours picked to stay distinguishable for common colour-vision deficiencies. */
export const PALETTE = ['#1f77b4', '#d95f02', '#1b9e77', '#7570b3', '#e7298a', '#66a61e', '#a6761d', '#666666'];

export interface LineSeries {
  label: string;
  values: readonly number[];
  color?: string;
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  const n = v / p;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * p;
}

function timeLabel(ms: number, spanMs: number): string {
  const d = new Date(ms);
  if (spanMs > 3 * 86_400_000) return d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** A line per series over time buckets, with a y axis from zero and five time labels. */
export function LineChart(props: {
  title: string;
  starts: readonly number[];
  series: readonly LineSeries[];
  format?: (v: number) => string;
  height?: number;
}) {
  const { starts, series, title } = props;
  const format = props.format ?? ((v: number) => String(Math.round(v * 100) / 100));
  const w = 560;
  const h = props.height ?? 180;
  const pad = { l: 44, r: 8, t: 8, b: 22 };
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const n = Math.max(1, starts.length - 1);
  const x = (i: number) => pad.l + ((w - pad.l - pad.r) * i) / n;
  const y = (v: number) => h - pad.b - ((h - pad.t - pad.b) * v) / max;
  const span = (starts.at(-1) ?? 0) - (starts[0] ?? 0);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const labelAt = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(f * (starts.length - 1)));
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-label={title}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={pad.l} x2={w - pad.r} y1={y(t)} y2={y(t)} className="grid" />
            <text x={pad.l - 4} y={y(t) + 4} textAnchor="end" className="axis">
              {format(t)}
            </text>
          </g>
        ))}
        {starts.length > 0 &&
          [...new Set(labelAt)].map((i) => (
            <text key={i} x={x(i)} y={h - 6} textAnchor={i === 0 ? 'start' : i === starts.length - 1 ? 'end' : 'middle'} className="axis">
              {timeLabel(starts[i] ?? 0, span)}
            </text>
          ))}
        {series.map((s, si) => {
          const color = s.color ?? PALETTE[si % PALETTE.length];
          const points = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
          return (
            <g key={s.label}>
              <polyline points={points} fill="none" stroke={color} strokeWidth={2} />
              {s.values.map((v, i) =>
                v > 0 ? (
                  <circle key={starts[i] ?? i} cx={x(i)} cy={y(v)} r={2.5} fill={color}>
                    <title>{`${s.label} ${new Date(starts[i] ?? 0).toLocaleString()}: ${format(v)}`}</title>
                  </circle>
                ) : null,
              )}
            </g>
          );
        })}
      </svg>
      {series.length > 1 && (
        <ul className="legend">
          {series.map((s, si) => (
            <li key={s.label}>
              <span className="swatch" style={{ background: s.color ?? PALETTE[si % PALETTE.length] }} />
              {s.label}
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}

/** One bar per key, longest first, with its figure; for breakdowns by partner, channel, … */
export function BarList(props: { title: string; rows: ReadonlyArray<{ key: string; value: number }>; color?: string; empty?: string }) {
  const rows = [...props.rows].sort((a, b) => b.value - a.value).slice(0, 12);
  const max = Math.max(1, ...rows.map((r) => r.value));
  const rowH = 22;
  const w = 360;
  const labelW = 150;
  return (
    <figure className="chart bars">
      <figcaption>{props.title}</figcaption>
      {rows.length === 0 ? (
        <p className="muted">{props.empty ?? 'nothing yet'}</p>
      ) : (
        <svg viewBox={`0 0 ${w} ${rows.length * rowH}`} role="img" aria-label={props.title}>
          {rows.map((r, i) => {
            const bw = ((w - labelW - 44) * r.value) / max;
            return (
              <g key={r.key} transform={`translate(0 ${i * rowH})`}>
                <text x={labelW - 6} y={15} textAnchor="end" className="axis">
                  {r.key.length > 24 ? `${r.key.slice(0, 23)}…` : r.key}
                </text>
                <rect x={labelW} y={4} width={Math.max(bw, r.value > 0 ? 2 : 0)} height={rowH - 8} fill={props.color ?? PALETTE[0]}>
                  <title>{`${r.key}: ${r.value}`}</title>
                </rect>
                <text x={labelW + bw + 4} y={15} className="axis">
                  {r.value}
                </text>
              </g>
            );
          })}
        </svg>
      )}
    </figure>
  );
}
