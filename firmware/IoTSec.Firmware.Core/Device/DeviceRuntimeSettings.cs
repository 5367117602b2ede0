using IoTSec.Firmware.Lifecycle;
using IoTSec.Firmware.Ota;

namespace IoTSec.Firmware.Device
{
    /// <summary>The runtime's tunables; the defaults are the hardware's.</summary>
    public sealed class DeviceRuntimeSettings
    {
        /// <summary>The OTA manifest vendor UUID this firmware accepts (docs/protocols/ota-manifest.md's example vendor, 4f8a6c1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b).</summary>
        public static readonly byte[] DefaultVendorId = new byte[] { 0x4f, 0x8a, 0x6c, 0x1e, 0x2b, 0x3d, 0x4e, 0x5f, 0x8a, 0x9b, 0x0c, 0x1d, 0x2e, 0x3f, 0x4a, 0x5b };

        /// <summary>Creates the hardware defaults.</summary>
        public DeviceRuntimeSettings()
        {
            VendorId = DefaultVendorId;
            SlotCapacity = 1024 * 1024;
            MaxBootsWithoutHealthy = BootCounter.DefaultMaxBootsWithoutHealthy;
            SafeModeHoldMs = 60 * 60 * 1000;
            EnrolmentAttempts = 10;
            ReconnectBaseDelayMs = 2000;
            ReconnectMaxDelayMs = 5 * 60 * 1000;
            ProvisioningPollMs = 500;
            TrialAttempts = UpdateAgentSettings.DefaultTrialAttempts;
            ConfirmDeadlineMs = UpdateAgentSettings.DefaultConfirmDeadlineMs;
            HttpTimeoutMs = 30000;
        }

        /// <summary>The OTA manifest vendor UUID (16 bytes).</summary>
        public byte[] VendorId { get; set; }

        /// <summary>
        /// The OTA manifest class UUID (16 bytes); null: derived from the vendor and the
        /// provisioned device class (<see cref="DeviceClassId.Derive"/>).
        /// </summary>
        public byte[] ClassId { get; set; }

        /// <summary>Bytes one firmware slot holds.</summary>
        public long SlotCapacity { get; set; }

        /// <summary>Boots in a row that never became healthy before safe mode (lifecycle.md).</summary>
        public int MaxBootsWithoutHealthy { get; set; }

        /// <summary>How long safe mode keeps the device quiet (console only) before one more attempt.</summary>
        public int SafeModeHoldMs { get; set; }

        /// <summary>EST attempts per <c>EnsureEnrolled</c> call before the runtime waits a backoff and calls again.</summary>
        public int EnrolmentAttempts { get; set; }

        /// <summary>First reconnect window (EST and MQTT), milliseconds; the window doubles per failure, full jitter.</summary>
        public int ReconnectBaseDelayMs { get; set; }

        /// <summary>Largest reconnect window, milliseconds.</summary>
        public int ReconnectMaxDelayMs { get; set; }

        /// <summary>How often an unprovisioned device looks whether the console committed an identity.</summary>
        public int ProvisioningPollMs { get; set; }

        /// <summary>Trial boots of a new image before the boot selector reverts it.</summary>
        public int TrialAttempts { get; set; }

        /// <summary>Time a trial image has to enrol and get a heartbeat acknowledged.</summary>
        public long ConfirmDeadlineMs { get; set; }

        /// <summary>Handshake and read timeout of EST and OTA requests, milliseconds.</summary>
        public int HttpTimeoutMs { get; set; }
    }
}
