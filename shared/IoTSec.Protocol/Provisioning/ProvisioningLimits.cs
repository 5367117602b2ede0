namespace IoTSec.Protocol.Provisioning
{
    /// <summary>
    /// Bounds of the provisioning payloads (docs/protocols/console.md). Every length from the
    /// line is checked against these before anything is allocated, so a device's RAM cost is
    /// bounded whatever the tool sends.
    /// </summary>
    public static class ProvisioningLimits
    {
        /// <summary>
        /// Largest chunk the client puts in one write request. With the write map's own bytes
        /// (at most 13) it stays under the frame's 2048-byte payload limit; the device accepts
        /// any non-empty chunk the frame can carry.
        /// </summary>
        public const int MaxChunkLength = 2000;

        /// <summary>Largest birth certificate (DER). A P-256 device certificate is about 565 bytes, RSA-2048 about 960.</summary>
        public const int MaxBirthCertificateLength = 4096;

        /// <summary>Largest birth key (PKCS#8 DER). RSA-2048 is about 1,220 bytes, RSA-4096 about 2,370, P-256 138 (measured with .NET).</summary>
        public const int MaxBirthKeyLength = 4096;

        /// <summary>Largest encoded trust-anchor list: room for several RSA root certificates and OTA keys.</summary>
        public const int MaxTrustAnchorListLength = 8192;

        /// <summary>Largest encoded configuration (in practice under 300 bytes).</summary>
        public const int MaxConfigurationLength = 1024;

        /// <summary>Most trust anchors in one list.</summary>
        public const int MaxTrustAnchors = 8;

        /// <summary>Longest trust-anchor key id in bytes.</summary>
        public const int MaxKeyIdLength = 32;

        /// <summary>Longest hardware id, board name or firmware version (visible ASCII).</summary>
        public const int MaxIdentifierLength = 64;

        /// <summary>Longest device class name.</summary>
        public const int MaxDeviceClassLength = 32;

        /// <summary>Longest gateway host name (RFC 1035 §2.3.4: 253 characters in text form).</summary>
        public const int MaxHostLength = 253;

        /// <summary>Shortest heartbeat interval in seconds: shorter would flood the gateway and drain a battery.</summary>
        public const int MinHeartbeatIntervalSeconds = 10;

        /// <summary>Longest heartbeat interval in seconds (one day): longer would let a swapped or cloned device go unnoticed for too long.</summary>
        public const int MaxHeartbeatIntervalSeconds = 86400;

        /// <summary>Longest message in a refusal's diagnostic, in characters; longer messages are cut.</summary>
        public const int MaxDiagnosticMessageLength = 200;

        /// <summary>Length of a SHA-256 digest.</summary>
        public const int DigestLength = 32;

        /// <summary>The largest encoded item of <paramref name="item"/>, or 0 for a combination or None.</summary>
        /// <param name="item">One item.</param>
        /// <returns>The limit in bytes.</returns>
        public static int MaxItemLength(StagedItems item)
        {
            switch (item)
            {
                case StagedItems.BirthCertificate: return MaxBirthCertificateLength;
                case StagedItems.BirthKey: return MaxBirthKeyLength;
                case StagedItems.TrustAnchors: return MaxTrustAnchorListLength;
                case StagedItems.Configuration: return MaxConfigurationLength;
                default: return 0;
            }
        }
    }
}
