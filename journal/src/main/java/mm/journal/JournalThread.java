package mm.journal;

import org.agrona.concurrent.IdleStrategy;

/**
 * Runs a {@link JournalRecorder} connected to an in-process run by {@link JournalRecorder#connect(
 * mm.common.aeron.LocalBus, int)} on a thread of its own: Chronicle appends (with the page faults of fresh queue
 * files) were a third of a backtest's single thread. The recorder is started, drained and closed on this thread,
 * since Chronicle appenders belong to the thread that made them; {@link #finish()} waits for the manifest.
 */
public final class JournalThread implements AutoCloseable
{
    /** The ring between the run and the journal thread: about a hundred thousand engine messages. */
    public static final int RING_BYTES = 8 * 1024 * 1024;

    private final JournalRecorder recorder;
    private final IdleStrategy idleStrategy;
    private final Thread thread;
    private volatile Throwable failure;
    private boolean finished;

    private JournalThread(final JournalRecorder recorder, final IdleStrategy idleStrategy)
    {
        this.recorder = recorder;
        this.idleStrategy = idleStrategy;
        this.thread = new Thread(this::run, "mm-journal");
        thread.setDaemon(true);
    }

    /**
     * @param idleStrategy between drains that found the ring empty (a backoff one on a shared host).
     */
    public static JournalThread start(final JournalRecorder recorder, final IdleStrategy idleStrategy)
    {
        final JournalThread journalThread = new JournalThread(recorder, idleStrategy);
        journalThread.thread.start();
        return journalThread;
    }

    private void run()
    {
        try
        {
            recorder.onStart();
            while (!recorder.isDone())
            {
                idleStrategy.idle(recorder.doWork());
            }
        }
        catch (final Throwable ex)
        {
            failure = ex;
            recorder.ringReaderFailed();
        }
        finally
        {
            try
            {
                recorder.onClose();
            }
            catch (final Throwable ex)
            {
                if (failure == null)
                {
                    failure = ex;
                }
                else
                {
                    failure.addSuppressed(ex);
                }
            }
        }
    }

    /**
     * The run published its last message: returns once the journal thread has appended everything (it then
     * closes the journal by itself; {@link #finish()} waits for that).
     *
     * @throws IllegalStateException if the journal thread failed.
     */
    public void awaitRecorded()
    {
        recorder.endOfInput();
        final IdleStrategy wait = new org.agrona.concurrent.BackoffIdleStrategy();
        while (!recorder.isDone() && thread.isAlive())
        {
            wait.idle();
        }
        final Throwable error = failure;
        if (error != null)
        {
            throw new IllegalStateException("the journal thread failed: " + error, error);
        }
    }

    /**
     * The run published its last message: records what the ring still holds, closes the journal (manifest with
     * counts and checksums) and ends the thread.
     *
     * @throws IllegalStateException if the journal thread failed (its error is the cause).
     */
    public void finish()
    {
        finished = true;
        recorder.endOfInput();
        joinUninterruptibly(thread); // the journal must still be closed: wait for it
        final Throwable error = failure;
        if (error != null)
        {
            throw new IllegalStateException("the journal thread failed: " + error, error);
        }
    }

    /**
     * {@link #finish()} unless done already, without its exception: for clean-up paths, so that a run that failed
     * before its end still closes its journal and ends the thread.
     */
    public void close()
    {
        if (!finished)
        {
            finished = true;
            recorder.endOfInput();
            joinUninterruptibly(thread);
        }
    }

    /** Waits for {@code thread} to end, even if interrupted meanwhile (the interrupt is kept for the caller). */
    static void joinUninterruptibly(final Thread thread)
    {
        boolean interrupted = false;
        while (true)
        {
            try
            {
                thread.join();
                break;
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }
}
