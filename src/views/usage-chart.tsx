import type { UsageReport } from '../core/telemetry/usage-report.ts'
import { formatTokens } from './usage-format.ts'

const width = 640
const height = 240
const plot = { left: 56, right: 8, top: 12, bottom: 28 }
/** Series colours come from the stylesheet (`.usage-series-N`), so they follow the theme. */
const palette = 6

/**
 * Tokens per day as stacked bars, one colour per model, drawn on the server: no script, and
 * every bar carries a `<title>` so its numbers are read out and shown on hover. The table
 * beside it holds the same numbers for anyone who cannot see the chart.
 */
export function UsageChart(props: { report: UsageReport }) {
  const { days, models, rows } = props.report
  const tokensOn = (day: string) => {
    const t = props.report.byDay.get(day)
    return t ? t.inputTokens + t.outputTokens : 0
  }
  const max = Math.max(1, ...days.map(tokensOn))
  const innerWidth = width - plot.left - plot.right
  const innerHeight = height - plot.top - plot.bottom
  const slot = innerWidth / days.length
  const barWidth = Math.max(2, slot * 0.7)
  const y = (tokens: number) => (tokens / max) * innerHeight
  const seriesOf = (model: string) => `usage-series-${models.indexOf(model) % palette}`

  return (
    <svg
      class="usage-chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-labelledby="usage-chart-title"
      data-max-tokens={max}
    >
      <title id="usage-chart-title">Tokens per day over the last {days.length} days</title>
      <line
        class="usage-axis"
        x1={plot.left}
        y1={plot.top}
        x2={plot.left}
        y2={plot.top + innerHeight}
      />
      <line
        class="usage-axis"
        x1={plot.left}
        y1={plot.top + innerHeight}
        x2={width - plot.right}
        y2={plot.top + innerHeight}
      />
      <text class="usage-label" x={plot.left - 6} y={plot.top + 4} text-anchor="end">
        {formatTokens(max)}
      </text>
      <text class="usage-label" x={plot.left - 6} y={plot.top + innerHeight} text-anchor="end">
        0
      </text>
      {days.map((day, i) => {
        const x = plot.left + i * slot + (slot - barWidth) / 2
        let stacked = 0
        // Stacked in legend order, so each model keeps its place from bar to bar.
        const bars = rows
          .filter((row) => row.day === day)
          .sort((a, b) => models.indexOf(a.model) - models.indexOf(b.model))
          .map((row) => {
            const tokens = row.inputTokens + row.outputTokens
            const h = y(tokens)
            stacked += h
            return (
              <rect
                class={`usage-bar ${seriesOf(row.model)}`}
                x={x.toFixed(1)}
                y={(plot.top + innerHeight - stacked).toFixed(1)}
                width={barWidth.toFixed(1)}
                height={h.toFixed(1)}
                data-day={day}
                data-model={row.model}
                data-tokens={tokens}
              >
                <title>
                  {day} · {row.model}: {formatTokens(tokens)} tokens
                </title>
              </rect>
            )
          })
        const label =
          // Weekly ticks counted back from today, so the newest day is always labelled.
          (days.length - 1 - i) % 7 === 0 ? (
            <text
              class="usage-label"
              x={(x + barWidth / 2).toFixed(1)}
              y={height - 8}
              text-anchor="middle"
            >
              {day.slice(5)}
            </text>
          ) : null
        return (
          <g>
            {bars}
            {label}
          </g>
        )
      })}
    </svg>
  )
}

/** Which colour is which model, in the chart's order. */
export function UsageLegend(props: { models: readonly string[] }) {
  return (
    <ul class="usage-legend">
      {props.models.map((model, i) => (
        <li>
          <svg class="usage-swatch" viewBox="0 0 10 10" aria-hidden="true">
            <rect class={`usage-series-${i % palette}`} width="10" height="10" />
          </svg>{' '}
          <code>{model}</code>
        </li>
      ))}
    </ul>
  )
}
