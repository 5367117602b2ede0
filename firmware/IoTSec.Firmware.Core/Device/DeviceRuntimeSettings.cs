using IoTSec.Firmware.Lifecycle;
using IoTSec.Firmware.Ota;

namespace IoTSec.Firmware.Device
{
    /// <summary>The runtime's tunables; the defaults are the hardware's.</summary>
    public sealed class DeviceRuntimeSettings
    {
        /// <summary>The OTA manifest vendor id this firmware accepts ("IoTSec" in ASCII).</summary>
        public static readonly byte[] DefaultVendorId = new byte[] { 0x49, 0x6F, 0x54, 0x53, 0x65, 0x63 };

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

        /// <summary>The OTA manifest vendor id (the class id is the provisioned device class in ASCII).</summary>
        public byte[] VendorId { get; set; }

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
