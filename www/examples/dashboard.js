// The dashboard's script: one picker feeds both reports; their events fill the status line.
import '../index.js';

const reports = [...document.querySelectorAll('clientele-report')];
const status = document.getElementById('status');
/** What the reports told the page, for a look in the console (and the browser test). */
const events = [];
Object.assign(window, { dashboardEvents: events });

for (const report of reports) {
  for (const type of ['clientele-progress', 'clientele-report', 'clientele-error', 'clientele-state']) {
    report.addEventListener(type, (e) => {
      if (type !== 'clientele-progress') events.push({ id: report.id, type, detail: e.detail });
      if (type === 'clientele-report') status.textContent = `${report.id}: ${e.detail.summary.customers.toLocaleString('en-US')} customers as of ${e.detail.as_of}`;
      if (type === 'clientele-error') status.textContent = `${report.id}: ${e.detail.message}`;
    });
  }
}

document.getElementById('file').addEventListener('change', (e) => {
  const file = e.target.files?.[0];
  if (!file) return;
  status.textContent = `Analysing ${file.name}…`;
  for (const report of reports) report.analyze(file).catch(() => {});
});
