package mm.common.agent;

import org.agrona.concurrent.Agent;

/**
 * An agent that can tell when a bounded run (a recording, a replay) is complete, so the launcher can stop
 * it in every deployment shape. Live agents are never done.
 */
public interface BoundedAgent extends Agent
{
    boolean isDone();
}
