// Plans: the list, and one plan as its dependency graph laid out by wave (a subtask's wave comes
// after every wave of the subtasks it depends on), each subtask with its state and its task.
import {all, enc, get} from './api.js';
import {badge, detailLink, facts, h, list, money, pick, table, time} from './dom.js';

export async function plansView() {
  const {items, more} = await all('/api/plans?limit=200', 500);
  return h('section', {'aria-labelledby': 'view-title'},
    h('h2', {id: 'view-title'}, 'Plans'),
    items.length
      ? table(`${items.length} plan${items.length === 1 ? '' : 's'}${more ? ', newest' : ''}`,
        ['Plan', 'Title', 'Status', 'Progress', 'Parent task'],
        items.map((p) => [
          detailLink('plans', p.plan_id),
          p.title || '—',
          badge(p.status),
          progressText(p.progress, p.subtasks) || '—',
          p.parent_task_id ? detailLink('tasks', p.parent_task_id) : '—',
        ]), 'list')
      : h('p', {class: 'empty'}, 'No plan yet.'));
}

/** "2 of 3 done" from whatever counts the progress object has. */
function progressText(progress, subtasks) {
  const c = counts(progress, subtasks);
  if (!c) return null;
  const extra = ['failed', 'blocked'].filter((k) => c[k]).map((k) => `${c[k]} ${k}`);
  return `${c.completed} of ${c.total} done${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

function counts(progress, subtasks) {
  if (progress && typeof progress === 'object' && pick(progress, 'total') !== null) {
    return {
      total: Number(progress.total),
      completed: Number(pick(progress, 'completed', 'done') ?? 0),
      failed: Number(progress.failed ?? 0),
      blocked: Number(progress.blocked ?? 0),
    };
  }
  if (Array.isArray(subtasks)) {
    const n = (s) => subtasks.filter((x) => x.status === s).length;
    return {total: subtasks.length, completed: n('completed'), failed: n('failed'),
      blocked: n('blocked')};
  }
  return null;
}

/** The waves, from the API's `waves` or else by grouping the subtasks on their wave number. */
function waves(p) {
  if (Array.isArray(p.waves) && p.waves.length) {
    return p.waves.map((w) => ({wave: w.wave, subtasks: w.subtasks || []}));
  }
  const byWave = new Map();
  for (const s of p.subtasks || []) {
    if (!byWave.has(s.wave)) byWave.set(s.wave, []);
    byWave.get(s.wave).push(s);
  }
  return [...byWave].sort((a, b) => a[0] - b[0]).map(([wave, subtasks]) => ({wave, subtasks}));
}

export async function planDetail(id) {
  const p = await get(`/api/plans/${enc(id)}`);
  const ws = waves(p);
  const flat = ws.flatMap((w) => w.subtasks);
  const c = counts(p.progress, flat);
  // Waves may be numbered from 0 or 1; people count from 1.
  const base = ws.length && Math.min(...ws.map((w) => Number(w.wave))) === 0 ? 1 : 0;
  return {
    title: p.title || `Plan ${p.plan_id}`,
    body: [
      h('p', {class: 'subtitle'}, h('code', {}, p.plan_id), ' ', badge(p.status)),
      c ? h('p', {class: 'progress'},
        h('label', {for: 'plan-progress'}, progressText(p.progress, flat)), ' ',
        h('progress', {id: 'plan-progress', max: c.total || 1, value: c.completed})) : null,
      facts([
        ['Parent task', p.parent_task_id ? detailLink('tasks', p.parent_task_id) : null],
        ['Planner', p.planner],
        ['Approved', p.approved_by ? [p.approved_by, ' ', time(p.approved_at)] : null],
        ['Created', time(p.created_at)],
        ['Ended', p.completed_at ? time(p.completed_at) : null],
        ['Budget', p.budget_usd !== null && p.budget_usd !== undefined ? money(p.budget_usd) : null],
        ['Aborted because', p.abort_reason],
      ]),
      h('section', {'aria-labelledby': 'dag-title'},
        h('h3', {id: 'dag-title'}, 'Subtasks by wave'),
        h('ol', {class: 'waves'}, ws.map((w) => h('li', {class: 'wave', data: {wave: w.wave}},
          h('h4', {}, `Wave ${Number(w.wave) + base}`),
          h('ul', {class: 'subtasks'}, w.subtasks.map(subtask)))))),
    ],
  };
}

function subtask(s) {
  const task = pick(s, 'task_id', 'mesh_task_id');
  const deps = s.depends_on || [];
  return h('li', {class: `subtask st-${s.status}`, data: {subtask: s.subtask_id}},
    h('p', {class: 'st-title'}, s.title || s.subtask_id),
    h('p', {}, h('code', {}, s.subtask_id), ' ', badge(s.status),
      s.mode ? h('span', {class: 'mode'}, ` ${s.mode.replaceAll('_', ' ')}`) : null),
    deps.length ? h('p', {class: 'deps'}, 'after ', list(deps, (d) => h('code', {}, d))) : null,
    task ? h('p', {}, 'task ', detailLink('tasks', task)) : null);
}
