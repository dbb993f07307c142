package mm.feed.binance.transport;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Drains a {@link FrameRing} on the test thread and keeps what it saw. */
final class RingProbe implements MessageHandler
{
    final FrameRing ring;
    final List<String> texts = new ArrayList<>();
    final List<int[]> events = new ArrayList<>(); // {type, generation, aux}
    long textFrames;
    long lastReceiveTimeNs;
    long receiveTimeRegressions;
    int lastGeneration;
    boolean keepTexts;

    RingProbe(final FrameRing ring, final boolean keepTexts)
    {
        this.ring = ring;
        this.keepTexts = keepTexts;
    }

    int drain()
    {
        return ring.drain(this, 1000);
    }

    public void onMessage(final int type, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final long receiveTimeNs = FrameRing.receiveTimeNs(buffer, index);
        final int generation = FrameRing.generation(buffer, index);
        if (receiveTimeNs < lastReceiveTimeNs)
        {
            receiveTimeRegressions++;
        }
        lastReceiveTimeNs = receiveTimeNs;
        if (type == FrameRing.TEXT)
        {
            textFrames++;
            lastGeneration = generation;
            if (keepTexts)
            {
                final byte[] bytes = new byte[length - FrameRing.HEADER_LENGTH];
                buffer.getBytes(index + FrameRing.HEADER_LENGTH, bytes);
                texts.add(new String(bytes, StandardCharsets.UTF_8));
            }
        }
        else
        {
            events.add(new int[]{type, generation, FrameRing.aux(buffer, index)});
        }
    }

    long count(final int type)
    {
        return events.stream().filter(e -> e[0] == type).count();
    }
}
