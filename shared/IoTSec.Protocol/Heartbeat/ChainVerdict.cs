namespace IoTSec.Protocol.Heartbeat
{
    /// <summary>
    /// How <see cref="HeartbeatChainVerifier"/> classifies the next verified heartbeat of a
    /// device (the verdict table is in docs/protocols/heartbeat.md).
    /// </summary>
    public enum ChainVerdict
    {
        /// <summary>The next heartbeat: sequence one above the last and previous digest equal to the last link (or a chain's first heartbeat on a fresh state). The chain advances.</summary>
        InOrder = 1,

        /// <summary>A sequence more than one above the last (heartbeats were missed), or a non-first heartbeat on a fresh state. The chain is re-anchored at this heartbeat.</summary>
        Gap = 2,

        /// <summary>A byte-identical copy of a heartbeat already accepted (same sequence, same link): a redelivery or a replay. Nothing changes.</summary>
        Replay = 3,

        /// <summary>
        /// Two chains under one identity: a remembered sequence with another link, the next
        /// sequence not linked to the last, a sequence inside the remembered range that was
        /// never accepted, a chain restarted at 0 under the same key, or counters that went
        /// backwards. How a cloned device shows itself. Nothing changes.
        /// </summary>
        Fork = 4,

        /// <summary>
        /// A sequence below the oldest one the bounded memory holds: neither a replay nor a
        /// fork can be proven. Nothing changes; the gateway drops it and counts it.
        /// </summary>
        Stale = 5,
    }
}
