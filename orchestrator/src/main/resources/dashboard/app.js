// The dashboard's shell: routes (#/tasks, #/tasks/<id>, #/collab, #/collab/<id>, #/plans,
// #/plans/<id>, #/nodes), the detail dialog, the token question, and redraws on live events.
// A redraw keeps the keyboard focus on the same item (elements carry data-key) and keeps open
// what was open, so a person working with the keyboard is not thrown back to the top.
import {ApiError, onTokenNeeded} from './api.js';
import {boardView} from './board.js';
import {collabDetail, collabView} from './collab.js';
import {h, href} from './dom.js';
import {follow} from './live.js';
import {nodesView} from './nodes.js';
import {planDetail, plansView} from './plan.js';
import {taskDetail} from './task.js';

const VIEWS = {
  tasks: {title: 'Tasks', list: boardView, detail: taskDetail},
  collab: {title: 'Collab', list: collabView, detail: collabDetail},
  plans: {title: 'Plans', list: plansView, detail: planDetail},
  nodes: {title: 'Nodes', list: nodesView, detail: null},
};

const main = document.getElementById('main');
const dialog = document.getElementById('detail');
const dialogTitle = document.getElementById('detail-title');
const dialogBody = document.getElementById('detail-body');
const errorBox = document.getElementById('error');
const liveState = document.getElementById('live');

function route() {
  const m = /^#\/([a-z]+)(?:\/(.+))?$/.exec(location.hash);
  if (!m || !VIEWS[m[1]]) return {view: 'tasks', id: null};
  return {view: m[1], id: m[2] ? decodeURIComponent(m[2]) : null};
}

// ---- drawing, one at a time; a request to draw during a draw draws once more after it

let drawing = false;
let again = false;
let shownView = null;
// The first page shown leaves the focus alone, so that the skip link is the first Tab stop.
let firstDraw = true;

async function draw() {
  if (drawing) {
    again = true;
    return;
  }
  drawing = true;
  try {
    do {
      again = false;
      await drawOnce();
    } while (again);
  } finally {
    drawing = false;
  }
}

async function drawOnce() {
  const r = route();
  const view = VIEWS[r.view];
  const focusKey = document.activeElement?.dataset?.key;
  const focusInDialog = dialog.contains(document.activeElement);
  const changedView = shownView !== r.view;
  try {
    const listNode = await view.list();
    if (route().view !== r.view) return; // navigated meanwhile: the next draw shows that
    replaceKeeping(main, [listNode]);
    main.querySelector('#view-title')?.setAttribute('tabindex', '-1');
    shownView = r.view;
    document.title = `jetmesh · ${view.title}`;
    for (const a of document.querySelectorAll('nav a')) {
      if (a.getAttribute('href') === href(r.view)) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    if (r.id && view.detail) {
      const d = await view.detail(r.id);
      if (route().id !== r.id) return;
      dialogTitle.textContent = d.title;
      replaceKeeping(dialogBody, d.body);
      dialog.dataset.key = `${r.view}:${r.id}`;
      if (!dialog.open) dialog.showModal();
    } else if (dialog.open) {
      closing = true;
      dialog.close();
      closing = false;
    }
    errorBox.replaceChildren();
    errorBox.hidden = true;
  } catch (e) {
    showError(e);
  }
  restoreFocus(focusKey, focusInDialog, changedView);
  firstDraw = false;
}

/** Replaces an element's children, keeping open <details> and the scroll position. */
function replaceKeeping(el, children) {
  const open = new Set([...el.querySelectorAll('details[open] > summary')].map((s) => s.textContent
    .replace(/\s*\(.*$/, '')));
  const scroll = el.scrollTop;
  el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  for (const s of el.querySelectorAll('details > summary')) {
    if (open.has(s.textContent.replace(/\s*\(.*$/, ''))) s.parentElement.open = true;
  }
  el.scrollTop = scroll;
}

function restoreFocus(key, inDialog, changedView) {
  const active = document.activeElement;
  if (active && active !== document.body && active.isConnected) return;
  const scope = inDialog && dialog.open ? dialog : main;
  const again = key && scope.querySelector(`[data-key="${CSS.escape(key)}"]`);
  if (again) again.focus();
  else if (changedView && !firstDraw && !dialog.open) document.getElementById('view-title')?.focus();
}

function showError(e) {
  errorBox.hidden = false;
  const retry = h('button', {type: 'button', onclick: () => draw()}, 'Try again');
  if (e instanceof ApiError && e.status === 401) {
    errorBox.replaceChildren(h('p', {}, 'This orchestrator needs its API token (MESH_API_TOKEN). '),
      h('button', {type: 'button', onclick: () => draw()}, 'Enter token'));
  } else if (e instanceof ApiError) {
    errorBox.replaceChildren(h('p', {}, `The orchestrator answered ${e.status}`,
      e.code ? ` (${e.code})` : '', `: ${e.message}`), retry);
  } else {
    errorBox.replaceChildren(h('p', {}, `Cannot reach the orchestrator: ${e.message}`), retry);
  }
}

// ---- the detail dialog: Esc or the close button goes back to the list, focus back to the item

let closing = false;

dialog.addEventListener('close', () => {
  if (closing) return;
  const key = dialog.dataset.key;
  const r = route();
  if (r.id) {
    history.pushState(null, '', href(r.view));
    draw().then(() => {
      const item = key && main.querySelector(`[data-key="${CSS.escape(key)}"]`);
      if (item) item.focus();
    });
  }
});
document.getElementById('detail-close').addEventListener('click', () => dialog.close());

// ---- the token: asked once, kept for the tab

const tokenDialog = document.getElementById('token-dialog');
const tokenForm = document.getElementById('token-form');
const tokenInput = document.getElementById('token-input');
const tokenRefused = document.getElementById('token-refused');

onTokenNeeded((refused) => new Promise((resolve, reject) => {
  tokenRefused.hidden = !refused;
  tokenInput.value = '';
  const done = (ev) => {
    ev.preventDefault();
    const t = tokenInput.value.trim();
    if (!t) return;
    cleanup();
    tokenDialog.close();
    resolve(t);
    live?.restart();
  };
  const cancel = () => {
    cleanup();
    reject(new ApiError(401, 'UNAUTHORIZED', 'no token given'));
  };
  const cleanup = () => {
    tokenForm.removeEventListener('submit', done);
    tokenDialog.removeEventListener('cancel', cancel);
  };
  tokenForm.addEventListener('submit', done);
  tokenDialog.addEventListener('cancel', cancel);
  tokenDialog.showModal();
  tokenInput.focus();
}));

// ---- live: a burst of events makes one redraw

let live = null;
let pending = null;

function soon() {
  if (pending) return;
  pending = setTimeout(() => {
    pending = null;
    draw();
  }, 150);
}

const STATES = {live: 'Live', connecting: 'Connecting…', offline: 'Offline, retrying'};

function startLive() {
  live = follow(soon, (state) => {
    liveState.textContent = STATES[state];
    liveState.dataset.state = state;
    if (state === 'live') soon(); // catch up on what happened while not connected
  });
}

// Health beats are not events: the nodes view asks again every few seconds while shown.
setInterval(() => {
  if (route().view === 'nodes' && !document.hidden) soon();
}, 5000);

document.querySelector('.skip').addEventListener('click', (ev) => {
  ev.preventDefault();
  main.focus();
});
window.addEventListener('hashchange', () => draw());
window.addEventListener('popstate', () => draw());

draw().then(startLive);
