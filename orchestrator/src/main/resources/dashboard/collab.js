// Collaboration sessions: the list, and one session as a timeline of rounds, each with its nodes'
// reflections and votes, ending in the decision.
import {all, enc, get} from './api.js';
import {badge, detailLink, facts, h, list, money, num, pick, table, time} from './dom.js';

export async function collabView() {
  const {items, more} = await all('/api/collab?limit=200', 500);
  return h('section', {'aria-labelledby': 'view-title'},
    h('h2', {id: 'view-title'}, 'Collaboration sessions'),
    items.length
      ? table(`${items.length} session${items.length === 1 ? '' : 's'}${more ? ', newest' : ''}`,
        ['Session', 'Task', 'Mode', 'Status', 'Round', 'Members'],
        items.map((s) => [
          detailLink('collab', s.session_id),
          s.task_id ? detailLink('tasks', s.task_id) : '—',
          s.mode || '—',
          badge(s.status),
          String(pick(s, 'round', 'current_round') ?? '—'),
          list(members(s)) || '—',
        ]), 'list')
      : h('p', {class: 'empty'}, 'No collaboration session yet.'));
}

function members(s) {
  const m = pick(s, 'members', 'nodes') || [];
  return m.map((n) => (typeof n === 'string' ? n : n.node_id));
}

export async function collabDetail(id) {
  const s = await get(`/api/collab/${enc(id)}`);
  const conv = s.convergence || {};
  const rounds = s.rounds || [];
  return {
    title: s.task_title ? `Session: ${s.task_title}` : `Session ${s.session_id}`,
    body: [
      h('p', {class: 'subtitle'}, h('code', {}, s.session_id), ' ', badge(s.status)),
      facts([
        ['Task', s.task_id ? detailLink('tasks', s.task_id) : null],
        ['Mode', s.mode],
        ['Convergence', [conv.type, conv.quorum ? `quorum ${conv.quorum}` : null]
          .filter(Boolean).join(', ')],
        ['Rounds', `${rounds.length} of at most ${pick(s, 'max_rounds') ?? '?'}`],
        ['Nodes', list(pick(s, 'nodes', 'members') || [], node)],
        ['Created', time(s.created_at)],
        ['Ended', s.completed_at ? time(s.completed_at) : null],
        ['Budget', s.budget_usd !== null && s.budget_usd !== undefined ? money(s.budget_usd) : null],
      ]),
      h('section', {'aria-labelledby': 'timeline-title'},
        h('h3', {id: 'timeline-title'}, 'Timeline'),
        rounds.length
          ? h('ol', {class: 'timeline'}, rounds.map(round))
          : h('p', {class: 'empty'}, 'No round has started yet.')),
      decision(s),
    ],
  };
}

/** A member: its id, its role when it has a special one, struck through once dead. */
function node(n) {
  if (typeof n === 'string') return n;
  const role = n.role && !['worker', 'member'].includes(n.role) ? ` (${n.role})` : '';
  return n.status === 'dead'
    ? h('span', {class: 'dead'}, n.node_id, role, ' – dead')
    : h('span', {}, n.node_id, role);
}

function round(r) {
  const n = pick(r, 'round_number', 'round');
  const refl = r.reflections || [];
  const votes = tally(r);
  return h('li', {class: 'round', data: {round: n}},
    h('h4', {}, `Round ${n}`, ' ', r.outcome ? badge(r.outcome) : badge('in_progress'),
      r.timed_out ? ' (timed out)' : ''),
    h('p', {class: 'when'}, 'started ', time(r.started_at),
      r.completed_at ? [' · ended ', time(r.completed_at)] : null),
    refl.length
      ? table(`Reflections of round ${n}`,
        ['Node', 'Vote', 'Confidence', 'Metric score', 'Summary', 'Learnings'],
        refl.map((x) => [
          x.node_id,
          x.parse_failed ? h('span', {class: 'badge s-failed'}, 'unparsed') : badge(String(x.vote)),
          num(x.confidence),
          num(x.metric_score, 4),
          h('span', {class: 'clamp', title: x.summary || ''}, x.summary || '—'),
          h('span', {class: 'clamp', title: x.learnings || ''}, x.learnings || '—'),
        ]), 'reflections')
      : h('p', {class: 'empty'}, 'No reflection yet.'),
    h('p', {class: 'votes'}, h('strong', {}, 'Votes: '),
      votes.length ? votes.map(([v, c], i) => [i ? ', ' : '', `${v} ${c}`]) : 'none yet',
      r.coordinator_vote
        ? ` · coordinator ${r.coordinator_voter || ''} voted ${r.coordinator_vote}` : ''));
}

/**
 * Valid member votes per choice: from the round's votes when the API lists them (the
 * coordinator's is shown apart), else from the reflections.
 */
function tally(r) {
  const counts = new Map();
  const votes = Array.isArray(r.votes)
    ? r.votes.filter((v) => typeof v === 'string' || (v.kind !== 'coordinator' && v.valid !== false))
      .map((v) => (typeof v === 'string' ? v : v.vote))
    : (r.reflections || []).filter((x) => !x.parse_failed).map((x) => x.vote);
  for (const v of votes) counts.set(String(v), (counts.get(String(v)) || 0) + 1);
  return [...counts];
}

function decision(s) {
  const d = s.decision || {};
  const result = d.result || s.result || {};
  const reason = d.abort_reason || s.abort_reason;
  const text = result.summary || reason || d.outcome;
  return h('section', {'aria-labelledby': 'decision-title', class: 'decision'},
    h('h3', {id: 'decision-title'}, 'Decision'),
    text
      ? h('p', {}, badge(d.outcome || s.status), ' ', text,
        d.round ? ` (round ${d.round})` : '')
      : h('p', {class: 'empty'}, 'Not decided yet.'));
}
