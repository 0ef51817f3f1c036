// Worker nodes: status, when last heard of, the health they report and what they work on.
import {all} from './api.js';
import {badge, bytes, detailLink, h, list, num, pick, table, time} from './dom.js';

export async function nodesView() {
  const {items} = await all('/api/nodes', 1000);
  const nodes = items.sort((a, b) => String(a.node_id).localeCompare(String(b.node_id)));
  return h('section', {'aria-labelledby': 'view-title'},
    h('h2', {id: 'view-title'}, 'Nodes'),
    nodes.length
      ? table(`${nodes.length} node${nodes.length === 1 ? '' : 's'}`,
        ['Node', 'Status', 'Last seen', 'CPU', 'Memory', 'Disk', 'Providers', 'Current work'],
        nodes.map((n) => {
          const health = n.health || {};
          return [
            h('span', {data: {node: n.node_id}}, n.node_id),
            badge(n.status),
            time(n.last_seen),
            cpu(health.cpu),
            mem(health.mem),
            disk(health),
            list(pick(health, 'providers') || n.providers) || '—',
            work(n, health),
          ];
        }), 'list nodes')
      : h('p', {class: 'empty'}, 'No node has joined yet.'));
}

function cpu(c) {
  if (c === null || c === undefined) return '—';
  if (typeof c !== 'object') return `${num(c, 1)} %`;
  const parts = [];
  if (c.percent !== null && c.percent !== undefined) parts.push(`${num(c.percent, 1)} %`);
  if (c.load1 !== null && c.load1 !== undefined) parts.push(`load ${num(c.load1)}`);
  if (c.cores) parts.push(`${c.cores} cores`);
  return parts.join(' · ') || '—';
}

function mem(m) {
  if (m === null || m === undefined) return '—';
  if (typeof m !== 'object') return `${num(m, 1)} %`;
  const total = pick(m, 'total_bytes', 'total');
  const free = pick(m, 'free_bytes', 'free');
  if (!total) return '—';
  return `${Math.round((100 * (total - (free ?? 0))) / total)} % of ${bytes(total)}`;
}

function disk(health) {
  const d = health.disk;
  const pct = pick(health, 'disk_percent');
  if (d && typeof d === 'object' && d.total_bytes) {
    return `${Math.round((100 * (d.total_bytes - (d.usable_bytes ?? 0))) / d.total_bytes)} % used`;
  }
  if (pct !== null) return `${pct} % used`;
  return d !== null && d !== undefined && typeof d !== 'object' ? `${num(d, 1)} %` : '—';
}

/** The tasks the node holds (the API's current_work), else the task its last beat named. */
function work(n, health) {
  const held = new Map();
  for (const w of n.current_work || []) {
    if (typeof w === 'string') held.set(w, w);
    else if (w.task_id) held.set(w.task_id, w.title || w.task_id);
  }
  const current = pick(health, 'current_task') || n.current_task;
  if (current && !held.has(current)) held.set(current, current);
  return held.size
    ? list([...held], ([id, title]) => detailLink('tasks', id, title))
    : 'idle';
}
