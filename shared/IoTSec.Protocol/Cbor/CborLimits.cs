namespace IoTSec.Protocol.Cbor
{
    /// <summary>Bounds shared by <see cref="CborReader"/> and <see cref="CborWriter"/>.</summary>
    public static class CborLimits
    {
        /// <summary>
        /// The deepest nesting of arrays, maps and tags either side accepts. It bounds the
        /// reader's per-level state and the recursion of <see cref="CborReader.SkipValue"/>,
        /// so hostile input cannot exhaust a device's small stack; our manifests and COSE
        /// envelopes need fewer than eight levels.
        /// </summary>
        public const int MaxNestingDepth = 16;
    }
}
