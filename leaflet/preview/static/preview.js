// The preview page's only script: it takes the page's regions from the server (server-sent
// events, else polling /state) and moves them into place once their pictures have loaded, so
// the page changes in one step and never flashes empty. The HTML is the server's, escaped there.
'use strict';
(() => {
  const body = document.body;
  const shown = new Map();
  let latest = null;
  let busy = false;

  function loaded(box, target) {
    // Only the pictures of what changed: a keyed region's unchanged children stay as they are.
    let parts = [box];
    if (target && target.hasAttribute('data-keyed')) {
      const old = new Map([...target.children].map((node) => [node.dataset.key, node.dataset.sig]));
      parts = [...box.children].filter((node) => old.get(node.dataset.key) !== node.dataset.sig);
    }
    const images = parts.flatMap((part) => [...part.querySelectorAll('img')]);
    return Promise.all(images.map((img) => (img.decode ? img.decode().catch(() => {}) : null)));
  }

  function morph(target, box) {
    // Keep each child whose key and signature are unchanged (an iframe moved would reload).
    const fresh = [...box.children];
    const old = [...target.children];
    const same = fresh.length === old.length &&
      fresh.every((node, i) => node.dataset.key === old[i].dataset.key);
    if (!same) {
      target.replaceChildren(...fresh);
      return;
    }
    fresh.forEach((node, i) => {
      if (node.dataset.sig !== old[i].dataset.sig) old[i].replaceWith(node);
    });
  }

  async function apply(update) {
    const boxes = [];
    for (const [name, html] of Object.entries(update.regions)) {
      if (shown.get(name) === html) continue;
      const box = document.createElement('div');
      box.innerHTML = html;
      boxes.push([name, html, box]);
    }
    await Promise.all(
      boxes.map(([name, , box]) => loaded(box, document.getElementById('region-' + name))),
    );
    for (const [name, html, box] of boxes) {
      const target = document.getElementById('region-' + name);
      if (!target) continue;
      if (target.hasAttribute('data-keyed')) morph(target, box);
      else target.replaceChildren(...box.childNodes);
      shown.set(name, html);
    }
    body.dataset.generation = String(update.generation);
    window.dispatchEvent(new CustomEvent('preview-updated', { detail: update.generation }));
  }

  async function drain() {
    if (busy) return;
    busy = true;
    try {
      while (latest !== null) {
        const update = latest;
        latest = null;
        if (update.generation > Number(body.dataset.generation)) await apply(update);
      }
    } finally {
      busy = false;
    }
  }

  function receive(text) {
    const update = JSON.parse(text);
    if (latest === null || update.generation > latest.generation) latest = update;
    drain();
  }

  function lost() {
    const status = document.getElementById('region-status');
    if (!status) return;
    status.replaceChildren();
    const note = document.createElement('p');
    note.className = 'status bad';
    note.textContent = 'Lost contact with the preview. Is leaflet preview still running?';
    status.appendChild(note);
    shown.delete('status');
  }

  for (const name of ['title', 'status', 'nav', 'problems', 'outputs', 'checks']) {
    const region = document.getElementById('region-' + name);
    if (region) shown.set(name, region.innerHTML);
  }
  if (window.EventSource) {
    const source = new EventSource('/events');
    source.onmessage = (event) => receive(event.data);
    source.onerror = lost;
  } else {
    setInterval(() => {
      fetch('/state', { cache: 'no-store' }).then((r) => r.text()).then(receive, lost);
    }, 1000);
  }
})();
