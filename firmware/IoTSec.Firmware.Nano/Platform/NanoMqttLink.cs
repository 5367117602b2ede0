using System;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using IoTSec.Firmware.Platform;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;

namespace IoTSec.Firmware.Nano
{
    /// <summary>
    /// The device's MQTT session over nanoFramework.M2Mqtt with mutual TLS 1.2: clean session,
    /// client id = device id, QoS 1 both ways. <see cref="Publish"/> returns only once the
    /// broker's PUBACK arrived (M2Mqtt's MqttMsgPublished event with IsPublished), as the
    /// core's contract asks.
    /// </summary>
    public sealed class NanoMqttLink : IMqttLink
    {
        private const ushort KeepAliveSeconds = 60;

        private readonly int _ackTimeoutMs;
        private readonly object _gate = new object();
        private readonly object _publishGate = new object();
        private readonly AutoResetEvent _acknowledged = new AutoResetEvent(false);
        private readonly PublishAcknowledgements _acks = new PublishAcknowledgements();
        private MqttClient _client;
        private IMqttMessageHandler _handler;
        private bool _closing;

        /// <summary>Creates the link.</summary>
        /// <param name="ackTimeoutMs">How long <see cref="Publish"/> waits for the broker's acknowledgement.</param>
        public NanoMqttLink(int ackTimeoutMs)
        {
            _ackTimeoutMs = ackTimeoutMs;
        }

        /// <inheritdoc />
        public bool IsConnected
        {
            get
            {
                MqttClient client = _client;
                return client != null && client.IsConnected;
            }
        }

        /// <inheritdoc />
        public void Connect(string host, int port, string clientId, TlsClientCredentials credentials, IMqttMessageHandler handler)
        {
            if (credentials == null || handler == null)
            {
                throw new ArgumentNullException(credentials == null ? "credentials" : "handler");
            }

            Disconnect();
            X509Certificate trustAnchor = NanoTlsCredentials.TrustAnchor(credentials);
            X509Certificate2 client = NanoTlsCredentials.ClientCertificate(credentials);

            MqttClient mqtt;
            MqttReasonCode result;
            try
            {
                mqtt = new MqttClient(host, port, true, trustAnchor, client, MqttSslProtocols.TLSv1_2);
                mqtt.ProtocolVersion = MqttProtocolVersion.Version_3_1_1;
                mqtt.MqttMsgPublishReceived += OnPublishReceived;
                mqtt.MqttMsgPublished += OnPublished;
                mqtt.ConnectionClosed += OnConnectionClosed;
                result = mqtt.Connect(clientId, null, null, false, MqttQoSLevel.AtMostOnce, false, null, null, true, KeepAliveSeconds);
            }
            catch (Exception e)
            {
                // M2Mqtt reports an unreachable broker and a failed handshake as its own
                // exception types (MqttConnectionException, SocketException): all are one
                // network failure to the core, with the cause kept.
                throw new NetworkException("MQTT connection to " + host + ":" + port + " failed.", e);
            }

            if (result != MqttReasonCode.Success)
            {
                mqtt.Close();
                throw new NetworkException("The broker refused the MQTT connection (reason " + (int)result + ").");
            }

            lock (_gate)
            {
                _client = mqtt;
                _handler = handler;
                _closing = false;
            }
        }

        /// <inheritdoc />
        public void Subscribe(string topic)
        {
            MqttClient client = Connected();
            client.Subscribe(new string[] { topic }, new MqttQoSLevel[] { MqttQoSLevel.AtLeastOnce });
        }

        /// <inheritdoc />
        public void Publish(string topic, byte[] payload)
        {
            MqttClient client = Connected();
            lock (_publishGate)
            {
                // One publish in flight at a time. M2Mqtt assigns the message id inside
                // Publish and its receive thread may report the PUBACK before Publish returns,
                // so outcomes are recorded by id (PublishAcknowledgements) and looked up here,
                // never matched against a field set after the call.
                ushort messageId = client.Publish(topic, payload, null, null, MqttQoSLevel.AtLeastOnce, false);
                long deadline = Environment.TickCount64 + _ackTimeoutMs;
                while (true)
                {
                    int outcome = _acks.Take(messageId);
                    if (outcome == PublishAcknowledgements.Published)
                    {
                        return;
                    }

                    if (outcome == PublishAcknowledgements.Failed)
                    {
                        throw new NetworkException("The broker did not acknowledge a publish on '" + topic + "' after M2Mqtt's retries.");
                    }

                    long left = deadline - Environment.TickCount64;
                    if (left <= 0)
                    {
                        throw new NetworkException("No acknowledgement from the broker within " + _ackTimeoutMs + " ms for a publish on '" + topic + "'.");
                    }

                    _acknowledged.WaitOne((int)left, false);
                }
            }
        }

        /// <inheritdoc />
        public void Disconnect()
        {
            MqttClient client;
            lock (_gate)
            {
                client = _client;
                _client = null;
                _closing = true;
            }

            if (client != null && client.IsConnected)
            {
                client.Disconnect();
            }
        }

        private MqttClient Connected()
        {
            MqttClient client = _client;
            if (client == null || !client.IsConnected)
            {
                throw new NetworkException("Not connected to the broker.");
            }

            return client;
        }

        private void OnPublishReceived(object sender, MqttMsgPublishEventArgs e)
        {
            IMqttMessageHandler handler = _handler;
            if (handler != null)
            {
                handler.OnMessage(e.Topic, e.Message);
            }
        }

        private void OnPublished(object sender, MqttMsgPublishedEventArgs e)
        {
            _acks.Record(e.MessageId, e.IsPublished);
            _acknowledged.Set();
        }

        private void OnConnectionClosed(object sender, EventArgs e)
        {
            IMqttMessageHandler handler = _handler;
            if (!_closing && handler != null)
            {
                handler.OnConnectionLost("the broker or the network closed the MQTT connection");
            }
        }
    }
}
