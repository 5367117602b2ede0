namespace IoTSec.Firmware.Platform
{
    /// <summary>
    /// The device's MQTT session with the gateway broker over mutual TLS
    /// (nanoFramework.M2Mqtt on the device, MQTTnet's client on the desktop). The client id
    /// is the device id, which the broker checks against the certificate.
    /// </summary>
    public interface IMqttLink
    {
        /// <summary>Connects (clean session) and keeps the connection until <see cref="Disconnect"/> or a failure.</summary>
        /// <param name="host">Gateway host.</param>
        /// <param name="port">MQTT over TLS port.</param>
        /// <param name="clientId">The device id.</param>
        /// <param name="credentials">The operational certificate and key, and the gateway's trust anchor.</param>
        /// <param name="handler">Receives messages on subscribed topics and the loss of the connection.</param>
        /// <exception cref="NetworkException">Unreachable, handshake failed, or the broker refused the connection.</exception>
        void Connect(string host, int port, string clientId, TlsClientCredentials credentials, IMqttMessageHandler handler);

        /// <summary>Whether the session is up.</summary>
        bool IsConnected { get; }

        /// <summary>Subscribes at QoS 1.</summary>
        /// <param name="topic">The topic (no wildcards are needed by the device).</param>
        /// <exception cref="NetworkException">Not connected, or the broker refused it.</exception>
        void Subscribe(string topic);

        /// <summary>Publishes at QoS 1 (not retained) and returns when the broker acknowledged it.</summary>
        /// <param name="topic">The topic.</param>
        /// <param name="payload">The payload.</param>
        /// <exception cref="NetworkException">Not connected, or no acknowledgement in time.</exception>
        void Publish(string topic, byte[] payload);

        /// <summary>Closes the session; safe to call when not connected.</summary>
        void Disconnect();
    }
}
