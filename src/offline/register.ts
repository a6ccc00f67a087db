/**
 * Registers the course's service worker (written by ./integration.ts at build time), so
 * that after a first visit every page, lab, worker, font and the search index work
 * offline; and offers a reload when a newer version of the course has been deployed.
 * Where service workers are refused (a private mode, a third-party iframe) the course
 * simply works online, as before.
 */
import { Workbox } from 'workbox-window';

/** The site's base path with one trailing slash: the worker's scope is the whole course and no more. */
const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');

function offerUpdate(update: () => void): void {
  if (document.querySelector('.course-update')) return;
  const box = document.createElement('div');
  box.className = 'course-update';
  box.setAttribute('role', 'status');
  const text = document.createElement('p');
  text.textContent = 'A new version of the course is available.';
  const reload = document.createElement('button');
  reload.type = 'button';
  reload.className = 'lab-button';
  reload.textContent = 'Reload to update';
  reload.addEventListener('click', () => {
    reload.disabled = true;
    update();
  });
  const later = document.createElement('button');
  later.type = 'button';
  later.className = 'lab-button lab-secondary';
  later.textContent = 'Later';
  later.addEventListener('click', () => box.remove());
  box.append(text, reload, later);
  document.body.append(box);
}

if ('serviceWorker' in navigator && import.meta.env.PROD) {
  const workbox = new Workbox(`${base}sw.js`, { scope: base });
  // A new version has installed and waits for the open tabs to close: let the reader choose.
  workbox.addEventListener('waiting', () =>
    offerUpdate(() => {
      workbox.addEventListener('controlling', () => window.location.reload());
      workbox.messageSkipWaiting();
    }),
  );
  workbox.register().catch(() => {
    // Refused (storage blocked, insecure context): the course still works online.
  });
}
