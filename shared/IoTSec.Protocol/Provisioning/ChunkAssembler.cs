namespace IoTSec.Protocol.Provisioning
{
    /// <summary>
    /// Reassembles a chunked write on the device (docs/protocols/console.md, "Chunked
    /// writes"). One transfer at a time: a chunk at offset 0 starts (or restarts) a transfer of
    /// its item; every further chunk must be of the same item, declare the same total and
    /// start exactly where the bytes received so far end. Anything else abandons the transfer
    /// and is refused; the tool starts again at offset 0.
    /// </summary>
    /// <remarks>
    /// Why this strict: the session layer already answers retransmissions from its cache and
    /// refuses late duplicates, so a chunk out of place is a tool bug or a tool that lost
    /// track, never line noise; restarting from a clean state is the one recovery that cannot
    /// assemble a wrong item. The buffer is allocated once per transfer at its declared total,
    /// which was checked against the item's limit, and wiped when abandoned (it may hold part
    /// of a private key).
    /// </remarks>
    internal sealed class ChunkAssembler
    {
        private StagedItems _item;
        private int _total;
        private int _received;
        private byte[] _buffer = new byte[0];

        /// <summary>True while a transfer has started and not completed.</summary>
        internal bool InProgress
        {
            get { return _item != StagedItems.None; }
        }

        /// <summary>The item of the transfer in progress, or None.</summary>
        internal StagedItems Item
        {
            get { return _item; }
        }

        /// <summary>Bytes received in the transfer in progress.</summary>
        internal int Received
        {
            get { return _received; }
        }

        /// <summary>Takes one chunk.</summary>
        /// <param name="item">The item the write command names (one bit).</param>
        /// <param name="chunk">The decoded chunk (its total already checked against the item's limit).</param>
        /// <param name="complete">The complete item when this chunk completed it (the caller owns the array), otherwise empty.</param>
        /// <returns>True when this chunk completed the item.</returns>
        /// <exception cref="ProvisioningPayloadException"><see cref="ProvisioningPayloadError.ChunkOutOfOrder"/>, <see cref="ProvisioningPayloadError.TotalLengthChanged"/> or <see cref="ProvisioningPayloadError.ItemTooLarge"/>; the transfer is abandoned.</exception>
        internal bool Accept(StagedItems item, WriteChunk chunk, out byte[] complete)
        {
            complete = new byte[0];
            if (chunk.TotalLength > ProvisioningLimits.MaxItemLength(item))
            {
                Abandon();
                throw new ProvisioningPayloadException(ProvisioningPayloadError.ItemTooLarge, "write: total length " + chunk.TotalLength.ToString() + " exceeds the item's limit");
            }

            if (chunk.Offset == 0)
            {
                // A new transfer of this item; whatever was in progress is given up.
                Abandon();
                _item = item;
                _total = chunk.TotalLength;
                _buffer = new byte[_total];
            }
            else if (_item != item || chunk.Offset != _received)
            {
                string expected = _item == item
                    ? "offset " + _received.ToString()
                    : (_item == StagedItems.None ? "offset 0 (no transfer in progress)" : "offset 0 (another item's transfer is in progress)");
                Abandon();
                throw new ProvisioningPayloadException(
                    ProvisioningPayloadError.ChunkOutOfOrder,
                    "write: chunk at offset " + chunk.Offset.ToString() + " where " + expected + " was expected; the transfer is abandoned, start again at offset 0");
            }
            else if (chunk.TotalLength != _total)
            {
                int total = _total;
                Abandon();
                throw new ProvisioningPayloadException(
                    ProvisioningPayloadError.TotalLengthChanged,
                    "write: chunk declares total length " + chunk.TotalLength.ToString() + " but the transfer started with " + total.ToString() + "; the transfer is abandoned");
            }

            System.Array.Copy(chunk.GetData(), 0, _buffer, _received, chunk.Length);
            _received += chunk.Length;
            if (_received < _total)
            {
                return false;
            }

            complete = _buffer;
            _buffer = new byte[0];
            _item = StagedItems.None;
            _total = 0;
            _received = 0;
            return true;
        }

        /// <summary>Gives up the transfer in progress, wiping what was received.</summary>
        internal void Abandon()
        {
            System.Array.Clear(_buffer, 0, _buffer.Length);
            _buffer = new byte[0];
            _item = StagedItems.None;
            _total = 0;
            _received = 0;
        }
    }
}
