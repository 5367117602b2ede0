namespace IoTSec.Firmware.Platform
{
    /// <summary>Receives what an <see cref="IMqttLink"/> delivers, on the link's own thread.</summary>
    public interface IMqttMessageHandler
    {
        /// <summary>A message arrived on a subscribed topic.</summary>
        /// <param name="topic">The topic.</param>
        /// <param name="payload">The payload; the handler owns the array.</param>
        void OnMessage(string topic, byte[] payload);

        /// <summary>The connection was lost (not called after <see cref="IMqttLink.Disconnect"/>).</summary>
        /// <param name="reason">Why, for the log.</param>
        void OnConnectionLost(string reason);
    }
}
