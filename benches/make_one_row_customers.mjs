// Writes N one-row customers (customer_id,date,amount), every id new: the shape that makes the
// per-customer part of the Report grow fastest (issue 12, "scale without strings").
// usage: node benches/make_one_row_customers.mjs OUT.csv N
import { openSync, writeSync, closeSync } from 'node:fs';

/** The file's text in chunks of about 1 MB (also used by the e2e test at 3 M customers). */
export function* oneRowCustomers(n) {
  yield 'customer_id,date,amount\n';
  const start = Date.UTC(2023, 0, 1);
  let chunk = '';
  for (let i = 0; i < n; i++) {
    // Deterministic spread: 730 days, amounts 1.00..500.99.
    const day = new Date(start + ((i * 7919) % 730) * 86_400_000).toISOString().slice(0, 10);
    const cents = 100 + ((i * 104_729) % 50_000);
    chunk += `C${i},${day},${(cents / 100).toFixed(2)}\n`;
    if (chunk.length > 1 << 20) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [out, nArg] = process.argv.slice(2);
  const fd = openSync(out, 'w');
  for (const part of oneRowCustomers(Number(nArg))) writeSync(fd, part);
  closeSync(fd);
}
