// A Vite app hosting <clientele-report> from the npm package: it listens to the element's
// events and shows one figure of the Report (the Champions segment) in its own header.
import 'clientele';
import './app.css';

/** @type {import('clientele').ClienteleReport} */
const report = document.querySelector('clientele-report');
const champions = document.getElementById('champions');
const customers = document.getElementById('customers');

report.addEventListener('clientele-report', (e) => {
  const r = e.detail;
  const champ = r.rfm.segments.find((s) => s.name === 'Champions');
  champions.textContent = champ ? champ.customers.toLocaleString('en-US') : '0';
  customers.textContent = r.summary.customers.toLocaleString('en-US');
  document.body.dataset.state = 'report';
});
report.addEventListener('clientele-error', (e) => {
  champions.textContent = '–';
  document.body.dataset.state = `error: ${e.detail.kind}`;
});
// Start the worker and the wasm while the user looks for a file.
report.preload();
