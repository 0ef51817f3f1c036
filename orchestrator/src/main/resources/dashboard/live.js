// The live event stream (/api/events, server-sent events). The server names each event by its
// type, and EventSource hands named events only to listeners of that name, so every type is
// listed here; LiveTypesTest checks this list against the schema's event catalogue.
import {eventsUrl} from './api.js';

export const EVENT_TYPES = [
  'task.submitted', 'task.claimed', 'task.started', 'task.attempt_recorded', 'task.completed',
  'task.failed', 'task.released', 'task.cancelled', 'task.requeued', 'task.budget_exceeded',
  'task.stalled', 'task.held_for_plan',
  'collab.session_created', 'collab.node_joined', 'collab.node_left', 'collab.node_marked_dead',
  'collab.recruiting_closed', 'collab.round_started', 'collab.turn_advanced',
  'collab.reflection_submitted', 'collab.coordinator_voted', 'collab.round_evaluated',
  'collab.converged', 'collab.completed', 'collab.aborted',
  'plan.created', 'plan.submitted_for_review', 'plan.approved', 'plan.execution_started',
  'plan.wave_dispatched', 'plan.subtask_dispatched', 'plan.subtask_completed',
  'plan.subtask_failed', 'plan.subtask_blocked', 'plan.completed', 'plan.aborted',
  'node.joined', 'node.went_stale', 'node.came_back', 'node.removed',
];

/**
 * Follows the stream: `onEvent(event)` for each event ({seq, type, aggregate, aggregate_id, …}),
 * `onState('live' | 'connecting' | 'offline')` when the connection changes. EventSource resumes
 * by itself with Last-Event-ID; when the server refused the stream (it closes then), a new one
 * starts after a pause from the last sequence seen, so nothing is missed.
 */
export function follow(onEvent, onState) {
  let source = null;
  let lastSeq = null;
  let retry = 1000;

  const open = () => {
    const url = eventsUrl();
    const sep = url.includes('?') ? '&' : '?';
    source = new EventSource(lastSeq === null ? url : `${url}${sep}since=${lastSeq}`);
    onState('connecting');
    source.onopen = () => {
      retry = 1000;
      onState('live');
    };
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        onState('offline');
        setTimeout(open, retry);
        retry = Math.min(retry * 2, 30000);
      } else {
        onState('connecting');
      }
    };
    const handle = (msg) => {
      let event;
      try {
        event = JSON.parse(msg.data);
      } catch {
        event = {type: msg.type};
      }
      const seq = Number(msg.lastEventId || event.seq);
      if (Number.isFinite(seq) && seq > 0) lastSeq = seq;
      onEvent(event);
    };
    source.onmessage = handle;
    for (const type of EVENT_TYPES) source.addEventListener(type, handle);
  };
  open();
  // A page kept in the back/forward cache would keep its stream, and a browser opens at most six
  // connections to one host: the stream closes when the page is left and resumes when it is back.
  window.addEventListener('pagehide', () => source?.close());
  window.addEventListener('pageshow', (ev) => {
    if (ev.persisted) open();
  });
  return {
    /** Starts again (after a new token), from the last event seen. */
    restart() {
      source?.close();
      open();
    },
  };
}
