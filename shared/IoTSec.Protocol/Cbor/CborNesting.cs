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

        private readonly int[] _kind = new int[CborLimits.MaxNestingDepth];

        // Items still expected; a map of n pairs expects 2n items, keys at even counts.
        private readonly int[] _remaining = new int[CborLimits.MaxNestingDepth];
        private readonly int[] _keyStart = new int[CborLimits.MaxNestingDepth];
        private readonly int[] _previousKeyStart = new int[CborLimits.MaxNestingDepth];
        private readonly int[] _previousKeyLength = new int[CborLimits.MaxNestingDepth];
        private readonly bool _checkKeyOrder;
        private int _depth;

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
            get { return _depth > 0 && _remaining[_depth - 1] == 0; }
        }

        /// <summary>The kind of the innermost open container (only when <see cref="Depth"/> &gt; 0).</summary>
        internal int InnermostKind
        {
            get { return _kind[_depth - 1]; }
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
            _kind[_depth] = kind;
            _remaining[_depth] = items;
            _previousKeyLength[_depth] = -1;
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

            int top = _depth - 1;
            if (_remaining[top] == 0)
            {
                throw new CborException(
                    CborError.TooManyItems,
                    offset,
                    _kind[top] == KindMap ? "all pairs of the map are already read" : "all items of the array are already read");
            }

            if (_kind[top] == KindMap && (_remaining[top] & 1) == 0)
            {
                _keyStart[top] = offset;
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
                int top = _depth - 1;
                if (_kind[top] == KindMap && (_remaining[top] & 1) == 0)
                {
                    CheckKeyOrder(buffer, top, end);
                }

                _remaining[top]--;
                if (_remaining[top] != 0 || (_kind[top] != KindTag && !closeFinishedContainers))
                {
                    return false;
                }

                _depth--;
            }

            return true;
        }

        private void CheckKeyOrder(byte[] buffer, int top, int keyEnd)
        {
            int start = _keyStart[top];
            int length = keyEnd - start;
            int previousLength = _previousKeyLength[top];
            if (_checkKeyOrder && previousLength >= 0)
            {
                int order = CborKeyOrder.Compare(buffer, _previousKeyStart[top], previousLength, buffer, start, length);
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

            _previousKeyStart[top] = start;
            _previousKeyLength[top] = length;
        }
    }
}
