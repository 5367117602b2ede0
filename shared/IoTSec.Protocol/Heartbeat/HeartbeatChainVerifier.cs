using System;
using IoTSec.Protocol.Cbor;
using IoTSec.Protocol.Crypto;

namespace IoTSec.Protocol.Heartbeat
{
    /// <summary>
    /// The gateway's memory of one device's heartbeat chain, and the classifier of each next
    /// verified heartbeat as <see cref="ChainVerdict.InOrder"/>, <see cref="ChainVerdict.Gap"/>,
    /// <see cref="ChainVerdict.Replay"/>, <see cref="ChainVerdict.Fork"/> or
    /// <see cref="ChainVerdict.Stale"/> (docs/protocols/heartbeat.md, "Chain verdicts").
    /// </summary>
    /// <remarks>
    /// <para>
    /// It remembers the last accepted heartbeat's boot count and uptime and a bounded window
    /// of the most recent accepted (sequence, link) pairs, oldest first, sequences strictly
    /// increasing. The window is what tells a replay (a link seen before) from a fork (the
    /// same sequence with another link); below it the two cannot be told apart, hence
    /// <see cref="ChainVerdict.Stale"/>. Only accepted heartbeats (in order, gap) enter the
    /// window: a fork never moves the chain, so the first chain seen stays the reference and
    /// every heartbeat of the other one keeps showing as a fork.
    /// </para>
    /// <para>
    /// One instance per device. Not thread-safe: the gateway serialises a device's heartbeats.
    /// The state round-trips through <see cref="Serialize"/> and <see cref="Deserialize(byte[])"/>
    /// so the gateway can persist it after each heartbeat. On a new heartbeat key (enrolment,
    /// renewal) the device starts a new chain at sequence 0 and the gateway calls
    /// <see cref="Reset"/>.
    /// </para>
    /// </remarks>
    public sealed class HeartbeatChainVerifier
    {
        /// <summary>Window size used by the parameterless constructor: 16 heartbeats, about 16 minutes at one a minute, longer than MQTT redelivery takes.</summary>
        public const int DefaultCapacity = 16;

        /// <summary>Largest window: bounds a state to 2,837 bytes.</summary>
        public const int MaxCapacity = 64;

        /// <summary>Version of the serialised state (key 1).</summary>
        public const int StateVersion = 1;

        /// <summary>Longest serialised state accepted: a full window of 64 takes at most 2,837 bytes.</summary>
        public const int MaxStateLength = 4096;

        private const int LinkLength = HeartbeatFormat.DigestLength;
        private const int KeyVersion = 1;
        private const int KeyCapacity = 2;
        private const int KeyBootCount = 3;
        private const int KeyUptime = 4;
        private const int KeyWindow = 5;

        private readonly int _capacity;
        private readonly ulong[] _sequences;
        private readonly byte[] _links;
        private int _start;
        private int _count;
        private uint _lastBootCount;
        private uint _lastUptime;

        /// <summary>Creates an empty (unanchored) state with a window of <see cref="DefaultCapacity"/>.</summary>
        public HeartbeatChainVerifier()
            : this(DefaultCapacity)
        {
        }

        /// <summary>Creates an empty (unanchored) state.</summary>
        /// <param name="capacity">How many recent (sequence, link) pairs to remember, 1 to <see cref="MaxCapacity"/>.</param>
        /// <exception cref="ArgumentOutOfRangeException">The capacity is out of range.</exception>
        public HeartbeatChainVerifier(int capacity)
        {
            if (capacity < 1 || capacity > MaxCapacity)
            {
                throw new ArgumentOutOfRangeException("capacity", "the window holds 1 to 64 heartbeats");
            }

            _capacity = capacity;
            _sequences = new ulong[capacity];
            _links = new byte[capacity * LinkLength];
        }

        /// <summary>How many recent (sequence, link) pairs the window holds at most.</summary>
        public int Capacity
        {
            get { return _capacity; }
        }

        /// <summary>How many pairs the window holds now.</summary>
        public int Count
        {
            get { return _count; }
        }

        /// <summary>True once a heartbeat was accepted since creation or <see cref="Reset"/>.</summary>
        public bool IsAnchored
        {
            get { return _count > 0; }
        }

        /// <summary>Sequence of the last accepted heartbeat (0 when not anchored).</summary>
        public ulong LastSequence
        {
            get { return _count == 0 ? 0 : _sequences[Slot(_count - 1)]; }
        }

        /// <summary>Boot count of the last accepted heartbeat (0 when not anchored).</summary>
        public uint LastBootCount
        {
            get { return _lastBootCount; }
        }

        /// <summary>Uptime of the last accepted heartbeat (0 when not anchored).</summary>
        public uint LastUptimeSeconds
        {
            get { return _lastUptime; }
        }

        /// <summary>The last accepted heartbeat's link: what the next in-order heartbeat must carry as its previous digest.</summary>
        /// <returns>A copy of the 32 bytes; all zero when not anchored.</returns>
        public byte[] GetLastLink()
        {
            var link = new byte[LinkLength];
            if (_count > 0)
            {
                Array.Copy(_links, Slot(_count - 1) * LinkLength, link, 0, LinkLength);
            }

            return link;
        }

        /// <summary>Forgets the chain: the next heartbeat anchors a new one. Call it when the device's heartbeat key changes.</summary>
        public void Reset()
        {
            _start = 0;
            _count = 0;
            _lastBootCount = 0;
            _lastUptime = 0;
            Array.Clear(_sequences, 0, _sequences.Length);
            Array.Clear(_links, 0, _links.Length);
        }

        /// <summary>Classifies a verified heartbeat and, when it is accepted, advances the chain.</summary>
        /// <param name="heartbeat">A heartbeat from <see cref="HeartbeatDecoder"/>.</param>
        /// <returns>The verdict.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="heartbeat"/> is null.</exception>
        public ChainVerdict Observe(VerifiedHeartbeat heartbeat)
        {
            if (heartbeat == null)
            {
                throw new ArgumentNullException("heartbeat");
            }

            HeartbeatFields f = heartbeat.Fields;
            return Observe(f.Sequence, f.BootCount, f.UptimeSeconds, f.PreviousDigest, heartbeat.GetLink());
        }

        /// <summary>Classifies a heartbeat given by its chain-relevant fields and, when it is accepted, advances the chain.</summary>
        /// <param name="sequence">Its sequence number.</param>
        /// <param name="bootCount">Its boot count.</param>
        /// <param name="uptimeSeconds">Its uptime.</param>
        /// <param name="previousDigest">Its previous digest (32 bytes).</param>
        /// <param name="link">Its own link (32 bytes, <see cref="HeartbeatLink"/>).</param>
        /// <returns>The verdict.</returns>
        /// <exception cref="ArgumentException">A digest is not 32 bytes.</exception>
        public ChainVerdict Observe(ulong sequence, uint bootCount, uint uptimeSeconds, byte[] previousDigest, byte[] link)
        {
            CheckDigest(previousDigest, "previousDigest");
            CheckDigest(link, "link");

            if (_count == 0)
            {
                Append(sequence, bootCount, uptimeSeconds, link);
                return sequence == 0 && HeartbeatLink.IsGenesis(previousDigest) ? ChainVerdict.InOrder : ChainVerdict.Gap;
            }

            int newest = Slot(_count - 1);
            ulong last = _sequences[newest];
            if (sequence > last)
            {
                // The counters only go forward on one device: a boot count below the last, or
                // less uptime within the same boot, means another device (or a restored flash
                // image) is speaking.
                if (bootCount < _lastBootCount || (bootCount == _lastBootCount && uptimeSeconds < _lastUptime))
                {
                    return ChainVerdict.Fork;
                }

                if (sequence - last == 1)
                {
                    if (!ConstantTime.AreEqual(previousDigest, 0, _links, newest * LinkLength, LinkLength))
                    {
                        return ChainVerdict.Fork;
                    }

                    Append(sequence, bootCount, uptimeSeconds, link);
                    return ChainVerdict.InOrder;
                }

                Append(sequence, bootCount, uptimeSeconds, link);
                return ChainVerdict.Gap;
            }

            int found = Find(sequence);
            if (found >= 0)
            {
                return ConstantTime.AreEqual(link, 0, _links, found * LinkLength, LinkLength) ? ChainVerdict.Replay : ChainVerdict.Fork;
            }

            // A chain restarted under the same key: the device lost its chain state (and must
            // re-enrol) or a second device started its own chain.
            if (HeartbeatLink.IsGenesis(previousDigest))
            {
                return ChainVerdict.Fork;
            }

            // Inside the remembered range but never accepted: a heartbeat numbered before one
            // already accepted. A device publishes its heartbeats in sequence order on one
            // session (MQTT 3.1.1 §4.6 keeps that order, retransmissions included), so a
            // second publisher sent it: typically the genuine device after a clone jumped
            // ahead and was taken as a gap.
            if (sequence >= _sequences[_start])
            {
                return ChainVerdict.Fork;
            }

            return ChainVerdict.Stale;
        }

        /// <summary>
        /// The state as deterministic CBOR:
        /// <c>{1: version, 2: capacity, 3: last boot count, 4: last uptime, 5: [* [sequence, link]]}</c>,
        /// window oldest first.
        /// </summary>
        /// <returns>The encoded state.</returns>
        public byte[] Serialize()
        {
            var writer = new CborWriter(32 + (_count * (LinkLength + 12)));
            writer.WriteStartMap(5);
            writer.WriteUInt64(KeyVersion);
            writer.WriteUInt64(StateVersion);
            writer.WriteUInt64(KeyCapacity);
            writer.WriteUInt64((ulong)_capacity);
            writer.WriteUInt64(KeyBootCount);
            writer.WriteUInt64(_lastBootCount);
            writer.WriteUInt64(KeyUptime);
            writer.WriteUInt64(_lastUptime);
            writer.WriteUInt64(KeyWindow);
            writer.WriteStartArray(_count);
            for (int i = 0; i < _count; i++)
            {
                int slot = Slot(i);
                writer.WriteStartArray(2);
                writer.WriteUInt64(_sequences[slot]);
                writer.WriteByteString(_links, slot * LinkLength, LinkLength);
            }

            return writer.Encode();
        }

        /// <summary>Restores a state written by <see cref="Serialize"/>.</summary>
        /// <param name="state">The encoded state.</param>
        /// <returns>A verifier in that state.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="state"/> is null.</exception>
        /// <exception cref="ChainStateRejectedException">The bytes are not a valid state.</exception>
        public static HeartbeatChainVerifier Deserialize(byte[] state)
        {
            if (state == null)
            {
                throw new ArgumentNullException("state");
            }

            if (state.Length > MaxStateLength)
            {
                throw new ChainStateRejectedException(ChainStateRejection.TooLarge, "state of " + state.Length.ToString() + " bytes exceeds " + MaxStateLength.ToString());
            }

            try
            {
                FieldMap map = FieldMap.Parse(state, 0, state.Length, KeyWindow, "chain state");
                if (map.Has(KeyVersion) && map.UInt64(KeyVersion, "version") != StateVersion)
                {
                    throw new ChainStateRejectedException(ChainStateRejection.UnknownVersion, "version (key 1) is not " + StateVersion.ToString());
                }

                if (map.UnknownKey.Length != 0)
                {
                    throw new ChainStateRejectedException(ChainStateRejection.UnknownField, "key " + map.UnknownKey + " is not defined");
                }

                map.Require(KeyVersion, "version");
                ulong capacity = map.UInt64(KeyCapacity, "capacity");
                if (capacity < 1 || capacity > MaxCapacity)
                {
                    throw FieldMap.Invalid(KeyCapacity, "capacity", "is not 1 to " + MaxCapacity.ToString());
                }

                var verifier = new HeartbeatChainVerifier((int)capacity);
                uint bootCount = map.UInt32(KeyBootCount, "last boot count");
                uint uptime = map.UInt32(KeyUptime, "last uptime");
                CborReader reader = map.Value(KeyWindow, "window", CborReaderState.StartArray, "an array");
                ReadWindow(state, reader, verifier);
                if (verifier._count == 0 && (bootCount != 0 || uptime != 0))
                {
                    throw FieldMap.Invalid(KeyBootCount, "last boot count", "and last uptime must be 0 while the window is empty");
                }

                verifier._lastBootCount = bootCount;
                verifier._lastUptime = uptime;
                return verifier;
            }
            catch (FieldException e)
            {
                ChainStateRejection reason = e.Problem == FieldProblem.Missing ? ChainStateRejection.FieldMissing
                    : e.Problem == FieldProblem.Invalid ? ChainStateRejection.FieldInvalid
                    : e.Problem == FieldProblem.Unknown ? ChainStateRejection.UnknownField
                    : ChainStateRejection.Malformed;
                throw new ChainStateRejectedException(reason, e.Message);
            }
            catch (CborException e)
            {
                throw new ChainStateRejectedException(ChainStateRejection.Malformed, "window is not valid CBOR: " + e.Message);
            }
        }

        private static void ReadWindow(byte[] state, CborReader reader, HeartbeatChainVerifier verifier)
        {
            int count = reader.ReadStartArray();
            if (count > verifier._capacity)
            {
                throw FieldMap.Invalid(KeyWindow, "window", "holds " + count.ToString() + " entries, more than its capacity");
            }

            for (int i = 0; i < count; i++)
            {
                if (reader.PeekState() != CborReaderState.StartArray || reader.ReadStartArray() != 2 || reader.PeekState() != CborReaderState.UnsignedInteger)
                {
                    throw FieldMap.Invalid(KeyWindow, "window", "entry " + i.ToString() + " is not [sequence, link]");
                }

                ulong sequence = reader.ReadUInt64();
                if (reader.PeekState() != CborReaderState.ByteString)
                {
                    throw FieldMap.Invalid(KeyWindow, "window", "entry " + i.ToString() + " has no link");
                }

                int offset;
                int length;
                reader.ReadByteStringSegment(out offset, out length);
                if (length != LinkLength)
                {
                    throw FieldMap.Invalid(KeyWindow, "window", "entry " + i.ToString() + " has a link of " + length.ToString() + " bytes");
                }

                if (i > 0 && sequence <= verifier._sequences[i - 1])
                {
                    throw FieldMap.Invalid(KeyWindow, "window", "sequences are not strictly increasing at entry " + i.ToString());
                }

                reader.ReadEndArray();
                verifier._sequences[i] = sequence;
                Array.Copy(state, offset, verifier._links, i * LinkLength, LinkLength);
                verifier._count = i + 1;
            }

            reader.ReadEndArray();
        }

        private static void CheckDigest(byte[] digest, string name)
        {
            if (digest == null)
            {
                throw new ArgumentNullException(name);
            }

            if (digest.Length != LinkLength)
            {
                throw new ArgumentException("a digest is 32 bytes", name);
            }
        }

        private int Slot(int index)
        {
            return (_start + index) % _capacity;
        }

        private int Find(ulong sequence)
        {
            for (int i = _count - 1; i >= 0; i--)
            {
                int slot = Slot(i);
                if (_sequences[slot] == sequence)
                {
                    return slot;
                }

                if (_sequences[slot] < sequence)
                {
                    break;
                }
            }

            return -1;
        }

        private void Append(ulong sequence, uint bootCount, uint uptime, byte[] link)
        {
            int slot;
            if (_count < _capacity)
            {
                slot = Slot(_count);
                _count++;
            }
            else
            {
                // Full: the oldest entry makes room.
                slot = _start;
                _start = (_start + 1) % _capacity;
            }

            _sequences[slot] = sequence;
            Array.Copy(link, 0, _links, slot * LinkLength, LinkLength);
            _lastBootCount = bootCount;
            _lastUptime = uptime;
        }
    }
}
