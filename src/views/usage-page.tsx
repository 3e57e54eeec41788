import type { UsageReport, UsageTotals } from '../core/telemetry/usage-report.ts'
import { Layout, type PageNotices } from './layout.tsx'
import { UsageChart, UsageLegend } from './usage-chart.tsx'
import { formatDollars, formatTokens } from './usage-format.ts'

/**
 * The usage page: the visitor's tokens and cost per day and per model over the last 30 days,
 * as a chart drawn on the server with the same numbers in tables beside it.
 */
export function UsagePage(props: { report: UsageReport; notices?: PageNotices }) {
  const { report } = props
  const { days } = report
  return (
    <Layout title="Usage" notices={props.notices}>
      <section class="panel usage" aria-labelledby="usage-title">
        <h1 id="usage-title">Usage</h1>
        <p>
          Tokens and cost of your answers per day (UTC), from {days[0]} to {days.at(-1)}, at the
          prices Outpost knows for each model.
        </p>
        <p
          class="usage-total"
          data-total-tokens={report.total.inputTokens + report.total.outputTokens}
        >
          <strong>{formatTokens(report.total.inputTokens + report.total.outputTokens)}</strong>{' '}
          tokens, <strong>{formatDollars(report.total.costUsd)}</strong> over {report.total.answers}{' '}
          answers.
        </p>
        {report.rows.length === 0 ? (
          <p>No answers in the last {days.length} days yet.</p>
        ) : (
          <div class="usage-layout">
            <figure class="usage-figure">
              <UsageChart report={report} />
              <figcaption>
                <UsageLegend models={report.models} />
              </figcaption>
            </figure>
            <ModelTable report={report} />
          </div>
        )}
      </section>
      {report.rows.length > 0 ? <DayTable report={report} /> : null}
    </Layout>
  )
}

function ModelTable(props: { report: UsageReport }) {
  const { report } = props
  return (
    <table class="usage-table" id="usage-by-model">
      <caption>Per model</caption>
      <TotalsHead first="Model" />
      <tbody>
        {report.models.map((model) => (
          <TotalsRow
            label={<ModelName id={model} />}
            totals={report.byModel.get(model)}
            data={model}
          />
        ))}
      </tbody>
      <tfoot>
        <TotalsRow label="Total" totals={report.total} data="total" />
      </tfoot>
    </table>
  )
}

function DayTable(props: { report: UsageReport }) {
  return (
    <section class="panel" aria-labelledby="usage-days-title">
      <h2 id="usage-days-title">Per day and model</h2>
      <table class="usage-table" id="usage-by-day">
        <TotalsHead first="Day" second="Model" />
        <tbody>
          {newestDayFirst(props.report.rows).map((row) => (
            <tr data-day={row.day} data-model={row.model}>
              <th scope="row">{row.day}</th>
              <td>
                <code>{row.model}</code>
              </td>
              <Numbers totals={row} />
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

/** Rows by day, newest first; models in name order within a day. */
function newestDayFirst(rows: UsageReport['rows']): UsageReport['rows'] {
  return [...rows].sort((a, b) =>
    a.day === b.day ? (a.model < b.model ? -1 : 1) : a.day < b.day ? 1 : -1,
  )
}

/** A `provider:model` id that may break after the provider in a narrow column. */
function ModelName(props: { id: string }) {
  const at = props.id.indexOf(':')
  if (at < 0) return <code>{props.id}</code>
  return (
    <code>
      {props.id.slice(0, at + 1)}
      <wbr />
      {props.id.slice(at + 1)}
    </code>
  )
}

function TotalsHead(props: { first: string; second?: string }) {
  return (
    <thead>
      <tr>
        <th scope="col">{props.first}</th>
        {props.second ? <th scope="col">{props.second}</th> : null}
        <th scope="col">Input tokens</th>
        <th scope="col">Output tokens</th>
        <th scope="col">Cost</th>
      </tr>
    </thead>
  )
}

function TotalsRow(props: { label: unknown; totals: UsageTotals | undefined; data: string }) {
  return (
    <tr data-row={props.data}>
      <th scope="row">{props.label}</th>
      <Numbers totals={props.totals} />
    </tr>
  )
}

function Numbers(props: { totals: UsageTotals | undefined }) {
  const t = props.totals ?? { inputTokens: 0, outputTokens: 0, costUsd: 0 }
  return (
    <>
      <td class="number" data-input={t.inputTokens}>
        {formatTokens(t.inputTokens)}
      </td>
      <td class="number" data-output={t.outputTokens}>
        {formatTokens(t.outputTokens)}
      </td>
      <td class="number" data-cost={t.costUsd}>
        {formatDollars(t.costUsd)}
      </td>
    </>
  )
}
