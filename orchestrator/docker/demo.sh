#!/usr/bin/env bash
# The compose demo: `docker compose run --rm demo` (the orchestrator image holds this file with
# the `jetmesh` CLI, curl and jq). It gives the three shell workers
# some work, waits until all of it has ended, and prints what happened:
#   - three tasks (one checked by a metric, one that waits for another),
#   - a collaboration session: three workers each run a round and vote; unanimous → converged,
#   - a plan of three subtasks in two waves.
# With the shell provider a task's description is the bash command the worker runs in the task's
# own git worktree. Ids end in a run id (DEMO_RUN, default the time), so the demo can run again.
set -euo pipefail

run=${DEMO_RUN:-$(date +%H%M%S)}
api=${MESH_API_URL:-http://orchestrator:8080}
wait_seconds=${DEMO_WAIT_SECONDS:-180}
auth=()
[[ -n ${MESH_API_TOKEN:-} ]] && auth=(-H "Authorization: Bearer $MESH_API_TOKEN")

say() { printf '%s  %s\n' "$(date +%T)" "$*"; }

api_get() { curl -fsS "${auth[@]}" "$api$1"; }

say "jetmesh demo, run $run: submitting work for the workers"

# 1. Tasks, with the CLI: the description runs in the task's worktree; the work is committed and
#    merged into the worker's workspace when the metric (if any) passes.
jetmesh submit --task-id "hello-$run" --title "Say hello" \
  --description 'echo "hello from $HOSTNAME" > hello.txt' >/dev/null
jetmesh submit --task-id "count-$run" --title "Count to five" \
  --description 'seq 1 5 > count.txt' --metric 'test "$(wc -l < count.txt)" -eq 5' >/dev/null
jetmesh submit --task-id "after-$run" --title "Runs once hello is done" \
  --description 'date -u > after.txt' --depends-on "hello-$run" >/dev/null
say "tasks hello-$run, count-$run, after-$run (after waits for hello) submitted"

# 2. A collaboration session: a task with a `collaboration` spec. The worker that claims it and two
#    more join; in each round every member runs the description, whose output ends with its
#    reflection and vote.
review_cmd='echo "notes by $HOSTNAME" > "notes-$HOSTNAME.txt"; echo REFLECTION_START; echo "SUMMARY: $HOSTNAME wrote its notes"; echo "LEARNINGS: none"; echo "CONFIDENCE: 0.9"; echo "VOTE: converged"; echo REFLECTION_END'
session=$(jetmesh collab start --task-id "review-$run" --title "Review together" -d "$review_cmd" \
  --provider shell --nodes 2 --max-nodes 3 --join-window 10 --max-rounds 3 \
  --convergence unanimous -q)
say "collaboration session $session (task review-$run) submitted"

# 3. A plan: three subtasks in two waves, each a mesh task with a metric. Its parent task only
#    records the plan's outcome: tagged plan-parent, no worker claims it; the plan completes it.
jetmesh submit --task-id "release-$run" --title "Ship the demo release" \
  -d "the parent of the demo plan" --tag plan-parent >/dev/null
plan_file=$(mktemp --suffix=.json)
jq -n --arg parent "release-$run" --arg r "$run" '{
  parent_task_id: $parent, title: "Ship the demo release", requires_approval: false,
  subtasks: [
    {subtask_id: ("build-" + $r), title: "Build", description: "echo built > build.txt",
     metric: "test -s build.txt", delegation: {mode: "solo_mesh"}},
    {subtask_id: ("check-" + $r), title: "Check", description: "echo checked > check.txt",
     metric: "test -s check.txt", depends_on: [("build-" + $r)], delegation: {mode: "solo_mesh"}},
    {subtask_id: ("notes-" + $r), title: "Release notes", description: "echo notes > notes.txt",
     metric: "test -s notes.txt", depends_on: [("build-" + $r)], delegation: {mode: "solo_mesh"}}]}' >"$plan_file"
plan=$(jetmesh plan create -f "$plan_file" -q)
rm -f "$plan_file"
say "plan $plan (build, then check and notes) submitted"

# Wait until everything has ended, printing each change (read from the HTTP API, as the
# dashboard does).
declare -A seen
pending() {
  local id status busy=0
  for id in "hello-$run" "count-$run" "after-$run" "review-$run"; do
    status=$(api_get "/api/tasks/$id" | jq -r '.status + (if .owner then " on " + .owner else "" end)')
    [[ ${seen[$id]:-} == "$status" ]] || say "task $id: $status"
    seen[$id]=$status
    case $status in completed* | failed* | released* | cancelled*) ;; *) busy=1 ;; esac
  done
  status=$(api_get "/api/plans/$plan" | jq -r '.status + " (" + (.progress.done | tostring) + "/" + (.progress.total | tostring) + " subtasks done)"')
  [[ ${seen[plan]:-} == "$status" ]] || say "plan $plan: $status"
  seen[plan]=$status
  case $status in completed* | aborted*) ;; *) busy=1 ;; esac
  return $((1 - busy))
}
deadline=$((SECONDS + wait_seconds))
while pending; do
  if ((SECONDS >= deadline)); then
    say "still not done after ${wait_seconds}s (see: docker compose logs worker-1)"
    exit 1
  fi
  sleep 1
done

decision=$(api_get "/api/collab/$session" | jq -r '.decision.outcome // "undecided"')
say "session $session: $decision, $(api_get "/api/tasks/review-$run" | jq -r '.result.summary')"
say "done in ${SECONDS}s. Look closer:"
port=${MESH_HTTP_HOST_PORT:-8080}
echo "  http://localhost:$port/   (the dashboard)"
echo "  curl -s localhost:$port/api/plans/$plan | jq .waves"
echo "  curl -s localhost:$port/api/collab/$session | jq .rounds"
echo "  curl -s localhost:$port/api/tasks/count-$run | jq .attempts"
echo "  docker compose exec worker-1 git -C /mesh/workspace log --oneline"
failed=$(for k in "${!seen[@]}"; do echo "${seen[$k]}"; done | grep -cv '^completed' || true)
exit $((failed > 0))
