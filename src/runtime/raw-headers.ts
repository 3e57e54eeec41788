/** `Headers` from name and value pairs in one flat list, as HTTP/1.1 clients read them. */
export function headersFromRaw(raw: readonly string[]): Headers {
  const headers = new Headers()
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string)
  return headers
}
