// A task's detail: what was asked, where it stands, each attempt (node, exit, duration, metric
// score, tokens, cost, output and its full transcript) and its raw events.
import {all, enc, get, text} from './api.js';
import {
  badge, detailLink, duration, facts, h, list, money, num, pick, table, time,
} from './dom.js';

export async function taskDetail(id) {
  const [t, events] = await Promise.all([
    get(`/api/tasks/${enc(id)}`),
    all(`/api/tasks/${enc(id)}/events?limit=500`, 2000).catch(() => ({items: [], more: false})),
  ]);
  const session = pick(t, 'session_id', 'collab_session_id');
  const plan = pick(t, 'plan_id');
  const result = t.result || {};
  return {
    title: t.title || t.task_id,
    body: [
      h('p', {class: 'subtitle'}, h('code', {}, t.task_id), ' ', badge(t.status)),
      facts([
        ['Owner', t.owner],
        ['Provider', [pick(t, 'llm_provider', 'provider'), t.llm_model].filter(Boolean).join(' · ')],
        ['Submitted', time(pick(t, 'submitted_at', 'created_at'))],
        ['Started', t.started_at ? time(t.started_at) : null],
        ['Completed', t.completed_at ? time(t.completed_at) : null],
        ['Budget', budget(t)],
        ['Metric', t.metric ? h('code', {}, t.metric) : null],
        ['Tags', list(t.tags)],
        ['Depends on', list(t.depends_on, (d) => detailLink('tasks', d))],
        ['Collab session', session ? detailLink('collab', session) : null],
        ['Plan', plan ? detailLink('plans', plan) : null],
      ]),
      t.description ? h('section', {'aria-label': 'Description'},
        h('h3', {}, 'Description'), h('pre', {class: 'text'}, t.description)) : null,
      Object.keys(result).length ? h('section', {'aria-label': 'Result', class: 'result'},
        h('h3', {}, 'Result'),
        h('p', {}, result.success === false ? badge('failed') : result.success ? badge('success') : null,
          ' ', result.summary || result.reason || '')) : null,
      attempts(t.attempts || []),
      eventsSection(events),
    ],
  };
}

function budget(t) {
  const parts = [];
  if (t.budget_minutes) parts.push(`${t.budget_minutes} min`);
  if (t.budget_usd !== null && t.budget_usd !== undefined) parts.push(money(t.budget_usd));
  return parts.join(' · ') || null;
}

function attempts(rows) {
  if (!rows.length) return h('section', {'aria-label': 'Attempts'}, h('h3', {}, 'Attempts'),
    h('p', {class: 'empty'}, 'No attempt yet.'));
  return h('section', {'aria-label': 'Attempts'},
    h('h3', {}, 'Attempts'),
    table('Attempts, oldest first',
      ['#', 'Node', 'Provider · model', 'Outcome', 'Exit', 'Duration', 'Metric score', 'Tokens',
        'Cost', 'Output'],
      rows.map((a, i) => [
        String(pick(a, 'attempt') ?? i + 1),
        pick(a, 'node_id') || '—',
        [a.provider, a.model].filter(Boolean).join(' · ') || '—',
        outcome(a),
        a.exit_code ?? '—',
        duration(a.duration_ms),
        metric(a),
        tokens(a),
        money(a.cost_usd),
        output(a, i),
      ]), 'attempts'));
}

function outcome(a) {
  const o = pick(a, 'outcome') ?? (a.keep === true ? 'kept' : a.keep === false ? 'discarded' : null);
  return o ? badge(String(o)) : '—';
}

function metric(a) {
  const score = num(a.metric_score, 4);
  if (a.metric_passed === true) return `${score} (passed)`;
  if (a.metric_passed === false) return `${score} (not passed)`;
  return score;
}

function tokens(a) {
  const t = a.tokens || {};
  const tin = pick(a, 'tokens_in') ?? pick(t, 'input', 'in', 'input_tokens');
  const tout = pick(a, 'tokens_out') ?? pick(t, 'output', 'out', 'output_tokens');
  if (tin === null && tout === null) return '—';
  return `${tin ?? '?'} in / ${tout ?? '?'} out`;
}

function output(a, i) {
  const said = [a.approach, a.result].filter(Boolean).join(' → ');
  const ref = a.output;
  return h('div', {class: 'output'},
    said ? h('p', {class: 'clamp', title: said}, said) : null,
    ref && ref.name ? h('p', {class: 'ref'}, 'stored as ', h('code', {}, ref.name),
      ref.size !== undefined ? ` (${ref.size} bytes)` : '') : null,
    transcript(a.links && a.links.output, i + 1));
}

/**
 * The attempt's full transcript (GET …/attempts/{n}/output), fetched when opened: a plain link
 * could not send the API token. A redraw reopens it by its summary, which fetches it again.
 */
function transcript(link, n) {
  if (!link) return null;
  const pre = h('pre', {class: 'text'}, 'Loading…');
  let asked = false;
  return h('details', {
    class: 'transcript',
    ontoggle: (e) => {
      if (!e.currentTarget.open || asked) return;
      asked = true;
      text(link).then((body) => {
        pre.textContent = body;
      }, (err) => {
        asked = false;
        pre.textContent = `Could not load the transcript: ${err.message}`;
      });
    },
  }, h('summary', {}, `Transcript of attempt ${n}`), pre);
}

function eventsSection({items, more}) {
  return h('section', {'aria-label': 'Events'},
    h('details', {class: 'events'},
      h('summary', {}, `Events (${items.length}${more ? '+' : ''})`),
      h('ol', {}, items.map((e) => h('li', {},
        h('span', {class: 'seq'}, `#${e.seq}`), ' ', h('code', {}, e.type), ' ',
        time(e.occurred_at), e.actor ? ` by ${e.actor}` : '')))));
}
