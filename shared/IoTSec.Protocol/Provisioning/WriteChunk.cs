using IoTSec.Protocol.Cbor;

namespace IoTSec.Protocol.Provisioning
{
    /// <summary>
    /// One write request's payload: a piece of an item. <c>{ 1: total length, 2: offset,
    /// 3: chunk }</c> (docs/protocols/console.md, <c>write-chunk</c>). The command code names the
    /// item. An item that fits one frame is written as one chunk at offset 0 whose length is
    /// the total; a larger one in contiguous chunks that the device reassembles.
    /// </summary>
    public sealed class WriteChunk
    {
        private const int KeyTotal = 1;
        private const int KeyOffset = 2;
        private const int KeyData = 3;
        private const uint RequiredKeys = (1u << KeyTotal) | (1u << KeyOffset) | (1u << KeyData);

        // Largest total any item allows; the item's own limit is checked by the caller who knows the item.
        private const int MaxAnyItem = ProvisioningLimits.MaxTrustAnchorListLength;

        private readonly byte[] _data;

        /// <summary>Creates a chunk.</summary>
        /// <param name="totalLength">The whole item's length in bytes (1 to 8192; each item has its own lower limit).</param>
        /// <param name="offset">Where this chunk starts in the item.</param>
        /// <param name="data">The chunk (at least one byte; not copied).</param>
        /// <exception cref="ProvisioningPayloadException"><see cref="ProvisioningPayloadError.OutOfRange"/>, <see cref="ProvisioningPayloadError.ItemTooLarge"/> or <see cref="ProvisioningPayloadError.ChunkBeyondTotal"/>.</exception>
        public WriteChunk(int totalLength, int offset, byte[] data)
        {
            if (totalLength < 1)
            {
                throw new ProvisioningPayloadException(ProvisioningPayloadError.OutOfRange, "write: total length must be at least 1");
            }

            if (totalLength > MaxAnyItem)
            {
                throw new ProvisioningPayloadException(ProvisioningPayloadError.ItemTooLarge, "write: total length " + totalLength.ToString() + " exceeds the largest item limit of " + MaxAnyItem.ToString());
            }

            if (data == null || data.Length < 1)
            {
                throw new ProvisioningPayloadException(ProvisioningPayloadError.OutOfRange, "write: a chunk carries at least one byte");
            }

            // offset <= total - length, written so that nothing can overflow.
            if (offset < 0 || offset > totalLength - data.Length)
            {
                throw new ProvisioningPayloadException(
                    ProvisioningPayloadError.ChunkBeyondTotal,
                    "write: chunk of " + data.Length.ToString() + " bytes at offset " + offset.ToString() + " reaches past the total length " + totalLength.ToString());
            }

            TotalLength = totalLength;
            Offset = offset;
            _data = data;
        }

        /// <summary>The whole item's length.</summary>
        public int TotalLength { get; }

        /// <summary>Where this chunk starts in the item.</summary>
        public int Offset { get; }

        /// <summary>The chunk's length.</summary>
        public int Length
        {
            get { return _data.Length; }
        }

        /// <summary>True when this chunk is the whole item.</summary>
        public bool IsWholeItem
        {
            get { return Offset == 0 && _data.Length == TotalLength; }
        }

        /// <summary>The chunk's bytes (not a copy).</summary>
        /// <returns>The bytes.</returns>
        public byte[] GetData()
        {
            return _data;
        }

        /// <summary>Encodes the request payload.</summary>
        /// <returns>The payload bytes (at most 13 bytes more than the chunk).</returns>
        public byte[] Encode()
        {
            var writer = new CborWriter(_data.Length + 16);
            writer.WriteStartMap(3);
            writer.WriteUInt64(KeyTotal);
            writer.WriteUInt64((ulong)TotalLength);
            writer.WriteUInt64(KeyOffset);
            writer.WriteUInt64((ulong)Offset);
            writer.WriteUInt64(KeyData);
            writer.WriteByteString(_data);
            return writer.Encode();
        }

        /// <summary>Decodes a write request's payload (device side; strict: unknown keys refused).</summary>
        /// <param name="payload">The request payload.</param>
        /// <param name="what">The command, for messages, e.g. "WriteBirthKey".</param>
        /// <returns>The chunk.</returns>
        /// <exception cref="ProvisioningPayloadException">Malformed, a key missing or unknown, or a value out of range.</exception>
        public static WriteChunk Decode(byte[] payload, string what)
        {
            var reader = new PayloadReader(payload, what);
            int pairs = reader.ReadStartMap();
            reader.BeginKeys();
            int total = 0;
            int offset = 0;
            byte[] data = new byte[0];
            for (int i = 0; i < pairs; i++)
            {
                int key = reader.ReadKey();
                switch (key)
                {
                    case KeyTotal:
                        ulong declared = reader.ReadUInt("total length", 1, ulong.MaxValue);
                        if (declared > MaxAnyItem)
                        {
                            throw new ProvisioningPayloadException(ProvisioningPayloadError.ItemTooLarge, what + ": total length " + declared.ToString() + " exceeds the largest item limit of " + MaxAnyItem.ToString());
                        }

                        total = (int)declared;
                        break;
                    case KeyOffset:
                        ulong start = reader.ReadUInt("offset", 0, ulong.MaxValue);
                        if (start >= MaxAnyItem)
                        {
                            throw new ProvisioningPayloadException(ProvisioningPayloadError.ChunkBeyondTotal, what + ": offset " + start.ToString() + " lies past any item's end");
                        }

                        offset = (int)start;
                        break;
                    case KeyData:
                        // Bounded by the payload itself, which the frame bounds to 2048 bytes.
                        data = reader.ReadBytes("chunk", 1, int.MaxValue);
                        break;
                    default:
                        throw reader.UnknownField(key);
                }
            }

            reader.ReadEndMap();
            reader.ReadEnd();
            reader.RequireKeys(RequiredKeys);
            return new WriteChunk(total, offset, data);
        }
    }
}
