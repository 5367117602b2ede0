using System;
using IoTSec.Protocol.Manifest;

namespace IoTSec.Firmware.Ota
{
    /// <summary>What the update agent needs to know about the product build and the board.</summary>
    public sealed class UpdateAgentSettings
    {
        /// <summary>Default chunk size of a download (one HTTP range request, one flash write).</summary>
        public const int DefaultChunkSize = 4096;

        /// <summary>Default trial boots a new image gets before it is reverted.</summary>
        public const int DefaultTrialAttempts = 2;

        /// <summary>Default time from boot for a trial image to confirm (enrol and get a heartbeat acknowledged).</summary>
        public const long DefaultConfirmDeadlineMs = 5 * 60 * 1000;

        /// <summary>Default flash kept free for the records besides the image.</summary>
        public const long DefaultFlashReserveBytes = 16 * 1024;

        private readonly byte[] _vendorId;
        private readonly byte[] _classId;

        /// <summary>Creates the settings with the defaults above.</summary>
        /// <param name="vendorId">The product's 16-byte vendor UUID (compiled into the firmware).</param>
        /// <param name="classId">The device's 16-byte class UUID (compiled into the firmware).</param>
        /// <param name="slotCapacity">Largest application bundle a slot may hold, in bytes.</param>
        public UpdateAgentSettings(byte[] vendorId, byte[] classId, long slotCapacity)
        {
            if (vendorId == null || vendorId.Length != OtaManifest.IdLength)
            {
                throw new ArgumentException("the vendor id has 16 bytes", "vendorId");
            }

            if (classId == null || classId.Length != OtaManifest.IdLength)
            {
                throw new ArgumentException("the class id has 16 bytes", "classId");
            }

            if (slotCapacity <= 0)
            {
                throw new ArgumentOutOfRangeException("slotCapacity");
            }

            _vendorId = new byte[OtaManifest.IdLength];
            Array.Copy(vendorId, _vendorId, OtaManifest.IdLength);
            _classId = new byte[OtaManifest.IdLength];
            Array.Copy(classId, _classId, OtaManifest.IdLength);
            SlotCapacity = slotCapacity;
            ChunkSize = DefaultChunkSize;
            TrialAttempts = DefaultTrialAttempts;
            ConfirmDeadlineMs = DefaultConfirmDeadlineMs;
            FlashReserveBytes = DefaultFlashReserveBytes;
        }

        /// <summary>Largest application bundle a slot may hold.</summary>
        public long SlotCapacity { get; private set; }

        /// <summary>Bytes per range request and flash write (256 to 65536).</summary>
        public int ChunkSize { get; set; }

        /// <summary>Trial boots a new image gets (1 to 255).</summary>
        public int TrialAttempts { get; set; }

        /// <summary>Milliseconds from boot within which a trial image must confirm.</summary>
        public long ConfirmDeadlineMs { get; set; }

        /// <summary>Flash left free besides the image, for the records.</summary>
        public long FlashReserveBytes { get; set; }

        internal byte[] VendorId
        {
            get { return _vendorId; }
        }

        internal byte[] ClassId
        {
            get { return _classId; }
        }

        internal void Check()
        {
            if (ChunkSize < 256 || ChunkSize > 65536)
            {
                throw new ArgumentOutOfRangeException("ChunkSize", "a chunk is 256 to 65536 bytes");
            }

            if (TrialAttempts < 1 || TrialAttempts > 255)
            {
                throw new ArgumentOutOfRangeException("TrialAttempts", "1 to 255 trial boots");
            }

            if (ConfirmDeadlineMs <= 0 || FlashReserveBytes < 0)
            {
                throw new ArgumentOutOfRangeException("ConfirmDeadlineMs");
            }
        }
    }
}
