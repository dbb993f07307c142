package mm.quoting;

import mm.common.testing.TestInstruments;
import mm.common.testing.TestMessages;
import mm.sbe.BookTopNDecoder;
import mm.sbe.MessageHeaderDecoder;
import org.agrona.concurrent.UnsafeBuffer;

/** Book updates as the quoting core receives them, decoded, for tests of the engine and the models. */
final class Books
{
    static final int BTC = TestInstruments.BTCUSDT.id();

    private Books()
    {
    }

    static BookTopNDecoder touch(final long timeNs, final long bid, final long bidQty, final long ask, final long askQty)
    {
        return decode(TestMessages.book(1, BTC, timeNs, bid, bidQty, ask, askQty));
    }

    static BookTopNDecoder levels(final long timeNs, final long[] bids, final long[] asks)
    {
        return decode(TestMessages.bookLevels(1, BTC, timeNs, bids, asks));
    }

    private static BookTopNDecoder decode(final byte[] message)
    {
        return new BookTopNDecoder().wrapAndApplyHeader(new UnsafeBuffer(message), 0, new MessageHeaderDecoder());
    }
}
