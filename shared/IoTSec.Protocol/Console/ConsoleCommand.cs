namespace IoTSec.Protocol.Console
{
    /// <summary>
    /// Command codes of a request frame (the code byte of a <see cref="ConsoleFrameKind.Request"/>).
    /// The payload of each is CBOR, defined in docs/protocols/console.md; this transport
    /// carries it as opaque bytes. Codes are grouped by high nibble: 0x0_ discovery,
    /// 0x1_ staging writes, 0x2_ reads, 0x3_ state changes. 0x00 is never a command, so a
    /// zeroed buffer cannot pass for one.
    /// </summary>
    public enum ConsoleCommand : byte
    {
        /// <summary>Ping with no side effect; the provisioning tool sends it to each serial port to find the device.</summary>
        Hello = 0x01,

        /// <summary>Reads the device's identity and provisioning state (unique id, firmware version, locked or not).</summary>
        Info = 0x02,

        /// <summary>Stages the birth certificate (the identity used for the first EST enrolment).</summary>
        WriteBirthCertificate = 0x10,

        /// <summary>Stages the birth certificate's private key.</summary>
        WriteBirthKey = 0x11,

        /// <summary>Stages the trust anchors (gateway CA, firmware signing keys).</summary>
        WriteTrustAnchors = 0x12,

        /// <summary>Stages the configuration (gateway address, device class, options).</summary>
        WriteConfiguration = 0x13,

        /// <summary>Reads back a digest of what is staged, so the tool can verify it before committing.</summary>
        ReadBack = 0x20,

        /// <summary>Moves the staged items into the active store in one step. Not idempotent: answered from the replay cache when retried.</summary>
        Commit = 0x30,

        /// <summary>Locks provisioning: from then on every write is refused with <see cref="ConsoleStatus.Locked"/>.</summary>
        Lock = 0x31,

        /// <summary>Erases identity, trust anchors and configuration, and unlocks (for the factory's rework station).</summary>
        FactoryReset = 0x3F,
    }
}
