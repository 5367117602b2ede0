using IoTSec.Firmware.Platform;

namespace IoTSec.Firmware.Device
{
    /// <summary>
    /// Holds the latest OTA offer payload from down/ota until the main loop verifies and acts
    /// on it. Bounded to one: a newer offer replaces an unprocessed older one (the gateway's
    /// rollout sends the current one again), so a peer cannot grow it.
    /// </summary>
    public sealed class OtaOfferQueue : IMqttMessageHandler
    {
        private readonly object _gate = new object();
        private byte[] _pending;

        /// <inheritdoc />
        public void OnMessage(string topic, byte[] payload)
        {
            if (payload == null || payload.Length > IoTSec.Protocol.Topics.OtaOffer.MaxEncodedLength)
            {
                return;
            }

            lock (_gate)
            {
                _pending = payload;
            }
        }

        /// <inheritdoc />
        public void OnConnectionLost(string reason)
        {
        }

        /// <summary>Takes the pending offer payload, or null.</summary>
        /// <returns>The payload as received (not yet verified).</returns>
        public byte[] Take()
        {
            lock (_gate)
            {
                byte[] payload = _pending;
                _pending = null;
                return payload;
            }
        }
    }
}
