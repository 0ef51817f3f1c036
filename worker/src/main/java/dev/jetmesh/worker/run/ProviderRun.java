package dev.jetmesh.worker.run;

import dev.jetmesh.worker.process.ProcessResult;
import dev.jetmesh.worker.provider.Invocation;
import dev.jetmesh.worker.provider.RunOutput;

/**
 * How one run of the provider's CLI ended, and what it printed.
 *
 * @param invocation what was started
 * @param process how the child ended
 * @param stdout its standard output (bounded, see {@code Outputs.read})
 * @param stderr its standard error
 * @param output what the provider made of {@code stdout}: the answer text, cost and tokens
 * @param stopped true when the run was stopped (a notice, a lost claim, a shutdown) while or right
 *     after it ran: nothing more of the attempt should happen
 */
public record ProviderRun(
    Invocation invocation,
    ProcessResult process,
    String stdout,
    String stderr,
    RunOutput output,
    boolean stopped) {}
