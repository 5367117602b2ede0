using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Storage;
using IoTSec.Protocol.Heartbeat;

namespace IoTSec.Firmware.Heartbeat
{
    /// <summary>
    /// The persisted head of the device's heartbeat chain (record <c>hb-chain</c>): the next
    /// sequence to send, the link of the last heartbeat made, and the id of the key the chain
    /// runs under.
    /// </summary>
    /// <remarks>
    /// Record: <c>version 1 (u8) | next sequence (u64 BE) | last link (32) | key id (8)</c>, 49
    /// bytes. It is written before the heartbeat it describes is published (device rule 2 of
    /// docs/protocols/heartbeat.md): a power cut after the write loses that heartbeat (the
    /// gateway sees a gap) but never lets the device make another heartbeat with the same
    /// sequence (which the gateway would see as a fork, i.e. a clone). A cut during the write
    /// leaves the old head (RecordStore): that heartbeat was not published yet, so making it
    /// again is safe.
    /// </remarks>
    internal sealed class HeartbeatChainHead
    {
        private const string RecordName = "hb-chain";
        private const byte Version = 1;
        private const int KeyIdLength = HeartbeatKeyDerivation.KeyIdLength;
        private const int RecordLength = 1 + 8 + HeartbeatFormat.DigestLength + KeyIdLength;

        private readonly RecordStore _store;

        public HeartbeatChainHead(IFlashStore flash)
        {
            _store = new RecordStore(flash, RecordName);
            NextSequence = 0;
            LastLink = HeartbeatLink.Genesis();
            byte[] payload = _store.Read();
            if (payload != null && payload.Length == RecordLength && payload[0] == Version)
            {
                NextSequence = BigEndian.GetUInt64(payload, 1);
                LastLink = new byte[HeartbeatFormat.DigestLength];
                System.Array.Copy(payload, 9, LastLink, 0, LastLink.Length);
                KeyId = new byte[KeyIdLength];
                System.Array.Copy(payload, 9 + HeartbeatFormat.DigestLength, KeyId, 0, KeyIdLength);
            }
        }

        /// <summary>The sequence of the next heartbeat.</summary>
        public ulong NextSequence { get; private set; }

        /// <summary>The link of the last heartbeat made (the next one's previous digest); zeros for a new chain.</summary>
        public byte[] LastLink { get; private set; }

        /// <summary>The key id of the chain, or null when no chain was ever started.</summary>
        public byte[] KeyId { get; private set; }

        /// <summary>True when the stored chain runs under <paramref name="keyId"/>.</summary>
        public bool IsChainOf(byte[] keyId)
        {
            return KeyId != null && ByteArrays.AreEqual(KeyId, keyId);
        }

        /// <summary>Persists (next sequence, last link, key id); in RAM only once the flash write returned.</summary>
        public void Advance(ulong nextSequence, byte[] lastLink, byte[] keyId)
        {
            var payload = new byte[RecordLength];
            payload[0] = Version;
            BigEndian.PutUInt64(payload, 1, nextSequence);
            System.Array.Copy(lastLink, 0, payload, 9, HeartbeatFormat.DigestLength);
            System.Array.Copy(keyId, 0, payload, 9 + HeartbeatFormat.DigestLength, KeyIdLength);
            _store.Write(payload);
            NextSequence = nextSequence;
            LastLink = (byte[])lastLink.Clone();
            KeyId = (byte[])keyId.Clone();
        }
    }
}
