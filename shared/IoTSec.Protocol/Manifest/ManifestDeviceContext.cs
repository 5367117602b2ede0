using System;

namespace IoTSec.Protocol.Manifest
{
    /// <summary>
    /// What the device knows about itself when it judges a manifest: identity (vendor and
    /// class ids), its security counter, the version it runs, its trusted time, and the size
    /// of the slot each component would go into. Immutable: build one per verification.
    /// </summary>
    public sealed class ManifestDeviceContext
    {
        /// <summary>Value of <see cref="TrustedTime"/> when the device has no trusted time yet.</summary>
        public const long NoTrustedTime = -1;

        private readonly byte[] _vendorId;
        private readonly byte[] _classId;

        /// <summary>Describes the device.</summary>
        /// <param name="vendorId">The device's 16-byte vendor UUID; copied.</param>
        /// <param name="classId">The device's 16-byte class UUID; copied.</param>
        /// <param name="securityCounter">The highest manifest sequence number installed so far (0 for a factory-fresh device).</param>
        /// <param name="runningVersion">The semver of the firmware now running.</param>
        /// <param name="trustedTime">
        /// Unix seconds from the gateway's last heartbeat acknowledgement plus the monotonic
        /// time elapsed since, or <see cref="NoTrustedTime"/> when the device has none (SNTP is
        /// unauthenticated and does not count).
        /// </param>
        /// <param name="applicationSlotSize">Bytes available for the application bundle in the inactive slot.</param>
        /// <param name="nativeImageSlotSize">Bytes available for a native image; 0 where it cannot be updated in the field (every nanoFramework device today).</param>
        public ManifestDeviceContext(
            byte[] vendorId,
            byte[] classId,
            ulong securityCounter,
            string runningVersion,
            long trustedTime,
            long applicationSlotSize,
            long nativeImageSlotSize)
        {
            if (vendorId == null)
            {
                throw new ArgumentNullException(nameof(vendorId));
            }

            if (classId == null)
            {
                throw new ArgumentNullException(nameof(classId));
            }

            if (vendorId.Length != OtaManifest.IdLength || classId.Length != OtaManifest.IdLength)
            {
                throw new ArgumentException("vendor and class ids have 16 bytes");
            }

            if (trustedTime < NoTrustedTime)
            {
                throw new ArgumentOutOfRangeException(nameof(trustedTime));
            }

            if (applicationSlotSize < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(applicationSlotSize));
            }

            if (nativeImageSlotSize < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(nativeImageSlotSize));
            }

            _vendorId = new byte[OtaManifest.IdLength];
            Array.Copy(vendorId, _vendorId, OtaManifest.IdLength);
            _classId = new byte[OtaManifest.IdLength];
            Array.Copy(classId, _classId, OtaManifest.IdLength);
            SecurityCounter = securityCounter;
            RunningVersion = SemanticVersion.Parse(runningVersion);
            TrustedTime = trustedTime;
            ApplicationSlotSize = applicationSlotSize;
            NativeImageSlotSize = nativeImageSlotSize;
        }

        /// <summary>The highest manifest sequence number installed so far.</summary>
        public ulong SecurityCounter { get; }

        /// <summary>The version now running.</summary>
        public SemanticVersion RunningVersion { get; }

        /// <summary>Trusted unix time in seconds, or <see cref="NoTrustedTime"/>.</summary>
        public long TrustedTime { get; }

        /// <summary>True when <see cref="TrustedTime"/> holds a time.</summary>
        public bool HasTrustedTime
        {
            get { return TrustedTime != NoTrustedTime; }
        }

        /// <summary>Bytes available for the application bundle.</summary>
        public long ApplicationSlotSize { get; }

        /// <summary>Bytes available for a native image (0: not updatable).</summary>
        public long NativeImageSlotSize { get; }

        internal byte[] VendorId
        {
            get { return _vendorId; }
        }

        internal byte[] ClassId
        {
            get { return _classId; }
        }

        /// <summary>The slot size for <paramref name="componentId"/>; 0 when the device cannot install that component.</summary>
        /// <param name="componentId">A component id.</param>
        /// <returns>Bytes available.</returns>
        public long SlotSizeFor(int componentId)
        {
            switch (componentId)
            {
                case ManifestComponentIds.ApplicationBundle: return ApplicationSlotSize;
                case ManifestComponentIds.NativeImage: return NativeImageSlotSize;
                default: return 0;
            }
        }
    }
}
