namespace IoTSec.Protocol.Console
{
    /// <summary>
    /// Command codes of a request frame (the code byte of a <see cref="ConsoleFrameKind.Request"/>).
    /// The payload of each is CBOR, defined in docs/protocols/console.md and encoded by
    /// IoTSec.Protocol.Provisioning; this transport carries it as opaque bytes. Codes are grouped by high nibble: 0x0_ discovery,
    /// 0x1_ staging writes, 0x2_ reads, 0x3_ state changes. 0x00 is never a command, so a
    /// zeroed buffer cannot pass for one.
    /// </summary>
    public enum ConsoleCommand : byte
    {
        /// <summary>Ping with no side effect; the provisioning tool sends it to each serial port to find the device (the answer carries the "IoTSec" magic and the hardware id).</summary>
        Hello = 0x01,

        /// <summary>Reads the device's identity and provisioning state (hardware id, board, firmware version and digest, lifecycle, lock, platform hardening, staged items).</summary>
        Info = 0x02,

        /// <summary>Stages the birth certificate (the identity used for the first EST enrolment).</summary>
        WriteBirthCertificate = 0x10,

        /// <summary>Stages the birth certificate's private key.</summary>
        WriteBirthKey = 0x11,

        /// <summary>Stages the trust anchors (gateway root CA, OTA signing keys).</summary>
        WriteTrustAnchors = 0x12,

        /// <summary>Stages the configuration (gateway address, device class, options).</summary>
        WriteConfiguration = 0x13,

        /// <summary>Reads back the SHA-256 of each staged item, so the tool can verify it before committing (the key never comes back).</summary>
        ReadBack = 0x20,

        /// <summary>Moves the staged items into the active store in one step. Not idempotent: answered from the replay cache when retried.</summary>
        Commit = 0x30,

        /// <summary>Locks provisioning: from then on writes, commit, lock and factory reset are refused with <see cref="ConsoleStatus.Locked"/> (a factory reset only with the board's rework strap held at boot).</summary>
        Lock = 0x31,

        /// <summary>Erases identity, trust anchors and configuration, and unlocks (for the factory's rework station). Refused on a locked device unless it booted with its rework strap held.</summary>
        FactoryReset = 0x3F,
    }
}
