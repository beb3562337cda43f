#!/usr/bin/env bash
# Submit an E4 sweep to Slurm: make the plan, one array job with one task per array index, and a merge
# job that starts only when every array task succeeded (--dependency=afterok).
#
#   cd /shared/project            # a folder every node sees (plan, shards and results live here)
#   bash examples/slurm/submit-e4-sweep.sh --full --set sizes=64,128,256,512 --seeds 1..5
#
# Any flags are passed to `coarsegrain plan E4` (config fields, --set field=v1,v2, --seeds a..b).
# Environment: WORK (default ./e4-sweep: plan.json, shards/, results/, logs/), COARSEGRAIN (the command,
# default `npx coarsegrain`), SBATCH_ARGS (extra sbatch flags: partition, account, time limit, ...).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
WORK="${WORK:-$PWD/e4-sweep}"
COARSEGRAIN="${COARSEGRAIN:-npx coarsegrain}"
mkdir -p "$WORK/logs"
# `plan` prints "<n> tasks (<p> points) written to ..."
n=$($COARSEGRAIN plan E4 "$@" --out "$WORK/plan.json" | awk 'NR == 1 { print $1 }')
echo "plan: $n tasks in $WORK/plan.json"
export WORK COARSEGRAIN
array=$(sbatch --parsable ${SBATCH_ARGS:-} --array="0-$((n - 1))" \
  --output="$WORK/logs/task-%a.out" --export=ALL "$here/e4-task.sbatch")
echo "array job $array: tasks 0..$((n - 1))"
merge=$(sbatch --parsable ${SBATCH_ARGS:-} --dependency="afterok:${array}" \
  --output="$WORK/logs/merge.out" --export=ALL "$here/e4-merge.sbatch")
echo "merge job $merge runs after every task of $array succeeded; results in $WORK/results"
