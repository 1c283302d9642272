// Runs one analysis of the chosen file in a fresh worker and resolves with its timings.
window.runBench = (options) =>
  new Promise((resolve, reject) => {
    const file = document.getElementById('file').files[0];
    const worker = new Worker(new URL('./bench-worker.js', import.meta.url), { type: 'module' });
    worker.onerror = (e) => reject(new Error(e.message));
    worker.onmessage = ({ data }) => {
      if (data.ready) worker.postMessage({ blob: file, options });
      else {
        worker.terminate();
        resolve({ ...data, bytes: file.size });
      }
    };
  });
