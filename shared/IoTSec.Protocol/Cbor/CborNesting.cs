namespace IoTSec.Protocol.Cbor
{
    /// <summary>
    /// The open arrays, maps and tags of a reader or a writer, one level each, with the
    /// item counts still expected and, for maps, where the current and previous keys are,
    /// so key order (RFC 8949 §4.2.1) is checked as each key completes by comparing raw
    /// encodings in place: no allocation, no lookback beyond one key.
    /// </summary>
    internal sealed class CborNesting
    {
        internal const int KindArray = 0;
        internal const int KindMap = 1;
        internal const int KindTag = 2;

        // One record of five ints per level, in a single array allocated on the first open
        // container: reading or writing a scalar allocates nothing, a structure one array.
        private const int Kind = 0;
        private const int Remaining = 1; // items still expected; a map of n pairs expects 2n, keys at even counts
        private const int KeyStart = 2;
        private const int PreviousKeyStart = 3;
        private const int PreviousKeyLength = 4; // -1 before the first key
        private const int RecordSize = 5;

        private readonly bool _checkKeyOrder;
        private int[] _levels = NoLevels;
        private int _depth;

        private static readonly int[] NoLevels = new int[0];

        internal CborNesting(bool checkKeyOrder)
        {
            _checkKeyOrder = checkKeyOrder;
        }

        /// <summary>How many arrays, maps and tags are open.</summary>
        internal int Depth
        {
            get { return _depth; }
        }

        /// <summary>The innermost open container has received all its items.</summary>
        internal bool AtContainerEnd
        {
            get { return _depth > 0 && _levels[((_depth - 1) * RecordSize) + Remaining] == 0; }
        }

        /// <summary>The kind of the innermost open container (only when <see cref="Depth"/> &gt; 0).</summary>
        internal int InnermostKind
        {
            get { return _levels[((_depth - 1) * RecordSize) + Kind]; }
        }

        internal void Clear()
        {
            _depth = 0;
        }

        /// <summary>Refuses a container that would nest deeper than the limit, even an empty one.</summary>
        internal void EnsureCanOpen(int offset)
        {
            if (_depth == CborLimits.MaxNestingDepth)
            {
                throw new CborException(
                    CborError.NestingTooDeep,
                    offset,
                    "arrays, maps and tags nested deeper than " + CborLimits.MaxNestingDepth.ToString());
            }
        }

        /// <summary>Opens a container whose head started at <paramref name="offset"/>.</summary>
        internal void Push(int kind, int items, int offset)
        {
            EnsureCanOpen(offset);
            if (_levels.Length == 0)
            {
                _levels = new int[CborLimits.MaxNestingDepth * RecordSize];
            }

            int record = _depth * RecordSize;
            _levels[record + Kind] = kind;
            _levels[record + Remaining] = items;
            _levels[record + PreviousKeyLength] = -1;
            _depth++;
        }

        internal void Pop()
        {
            _depth--;
        }

        /// <summary>Called before an item's head at <paramref name="offset"/> is consumed.</summary>
        internal void BeginItem(int offset)
        {
            if (_depth == 0)
            {
                return;
            }

            int record = (_depth - 1) * RecordSize;
            if (_levels[record + Remaining] == 0)
            {
                throw new CborException(
                    CborError.TooManyItems,
                    offset,
                    _levels[record + Kind] == KindMap ? "all pairs of the map are already read" : "all items of the array are already read");
            }

            if (_levels[record + Kind] == KindMap && (_levels[record + Remaining] & 1) == 0)
            {
                _levels[record + KeyStart] = offset;
            }
        }

        /// <summary>
        /// Records that an item ended at <paramref name="end"/> in <paramref name="buffer"/>.
        /// Tags close with their item; arrays and maps close with their last item only when
        /// <paramref name="closeFinishedContainers"/> (the writer), else an explicit end call
        /// does it (the reader).
        /// </summary>
        /// <returns>True when the item completed was a top-level item.</returns>
        internal bool CompleteItem(byte[] buffer, int end, bool closeFinishedContainers)
        {
            while (_depth > 0)
            {
                int record = (_depth - 1) * RecordSize;
                int kind = _levels[record + Kind];
                if (kind == KindMap && (_levels[record + Remaining] & 1) == 0)
                {
                    CheckKeyOrder(buffer, record, end);
                }

                int remaining = --_levels[record + Remaining];
                if (remaining != 0 || (kind != KindTag && !closeFinishedContainers))
                {
                    return false;
                }

                _depth--;
            }

            return true;
        }

        private void CheckKeyOrder(byte[] buffer, int record, int keyEnd)
        {
            int start = _levels[record + KeyStart];
            int length = keyEnd - start;
            int previousLength = _levels[record + PreviousKeyLength];
            if (_checkKeyOrder && previousLength >= 0)
            {
                int order = CborKeyOrder.Compare(buffer, _levels[record + PreviousKeyStart], previousLength, buffer, start, length);
                if (order == 0)
                {
                    throw new CborException(CborError.DuplicateMapKey, start, "map key repeats the previous key");
                }

                if (order > 0)
                {
                    throw new CborException(
                        CborError.MapKeyOutOfOrder,
                        start,
                        "map key sorts before the previous key; deterministic CBOR orders keys by their encoded bytes (RFC 8949 section 4.2.1)");
                }
            }

            _levels[record + PreviousKeyStart] = start;
            _levels[record + PreviousKeyLength] = length;
        }
    }
}
