/**
 * A moment as UTC text that says so ("2026-11-30 16:05 UTC"); public/chat.js rewrites it in
 * the reader's own zone when JavaScript runs (`data-local` marks the ones still to do).
 */
export function LocalTime(props: { at: number | string | Date }) {
  const iso = new Date(props.at).toISOString()
  return (
    <time datetime={iso} data-local="">
      {`${iso.slice(0, 16).replace('T', ' ')} UTC`}
    </time>
  )
}
