// The task board: one column per status, newest first, each task a link that opens its detail.
import {all} from './api.js';
import {detailLink, h, money, pick, time} from './dom.js';

// The board holds this many tasks, the most recently changed (the API's order=updated), so a task
// that just changed is always on it, however many older ones the mesh has.
const LIMIT = 2000;
const COLUMNS = ['queued', 'claimed', 'running', 'completed', 'failed', 'released', 'cancelled'];

export async function boardView() {
  const {items, more} = await all('/api/tasks?order=updated&limit=500', LIMIT);
  const byStatus = new Map(COLUMNS.map((s) => [s, []]));
  for (const t of items) {
    if (!byStatus.has(t.status)) byStatus.set(t.status, []);
    byStatus.get(t.status).push(t);
  }
  const newest = (a, b) => String(updated(b)).localeCompare(String(updated(a)));
  return h('section', {'aria-labelledby': 'view-title'},
    h('h2', {id: 'view-title'}, 'Tasks'),
    h('p', {class: 'summary'}, `${items.length} task${items.length === 1 ? '' : 's'}`,
      more ? ` (the ${LIMIT} most recently changed; the CLI and the API's filters reach the rest)`
        : ''),
    h('div', {class: 'board'},
      [...byStatus].map(([status, tasks]) => column(status, tasks.sort(newest)))));
}

function updated(t) {
  return pick(t, 'updated_at', 'last_activity', 'submitted_at', 'created_at') || '';
}

function column(status, tasks) {
  const id = `col-${status}`;
  return h('section', {class: `column c-${status}`, 'aria-labelledby': id, data: {status}},
    h('h3', {id}, status, ' ', h('span', {class: 'count'}, `(${tasks.length})`)),
    tasks.length
      ? h('ul', {class: 'cards'}, tasks.map((t) => h('li', {}, card(t))))
      : h('p', {class: 'empty'}, 'None'));
}

function card(t) {
  const link = detailLink('tasks', t.task_id, t.title || t.task_id, 'card');
  link.setAttribute('aria-describedby', `meta-${cssId(t.task_id)}`);
  const attempts = pick(t, 'attempts');
  const count = Array.isArray(attempts) ? attempts.length : attempts;
  return h('article', {class: 'task-card', data: {task: t.task_id}},
    h('h4', {}, link),
    h('p', {class: 'meta', id: `meta-${cssId(t.task_id)}`},
      h('code', {}, t.task_id),
      t.owner ? [' on ', h('span', {class: 'node'}, t.owner)] : null,
      count ? ` · ${count} attempt${count === 1 ? '' : 's'}` : null,
      t.cost_usd !== undefined && t.cost_usd !== null ? ` · ${money(t.cost_usd)}` : null),
    (t.tags || []).length ? h('p', {class: 'tags'}, t.tags.map((g) => h('span', {class: 'tag', title: g}, g)))
      : null,
    h('p', {class: 'when'}, 'updated ', time(updated(t))));
}

/** An id attribute from any task id (ids may hold characters an id reference cannot). */
function cssId(s) {
  return String(s).replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.charCodeAt(0).toString(16)}`);
}
