using IoTSec.Firmware.Heartbeat;
using IoTSec.Firmware.Platform;
using IoTSec.Protocol.Topics;

namespace IoTSec.Firmware.Commands
{
    /// <summary>
    /// Runs the device's downlink messages on the main loop: acknowledgements to the heartbeat
    /// agent, commands to the dispatcher, OTA offers to the OTA area's handler. A topic that is
    /// not one of this device's down/ topics is dropped.
    /// </summary>
    public sealed class DownlinkRouter
    {
        private readonly string _deviceId;
        private readonly DownlinkInbox _inbox;
        private readonly HeartbeatAgent _agent;
        private readonly CommandDispatcher _dispatcher;
        private readonly IDeviceLog _log;

        /// <summary>Creates the router.</summary>
        /// <param name="deviceId">The device id.</param>
        /// <param name="inbox">Where the link puts messages.</param>
        /// <param name="agent">Takes down/hb-ack.</param>
        /// <param name="dispatcher">Takes down/cmd.</param>
        /// <param name="log">Diagnostics.</param>
        public DownlinkRouter(string deviceId, DownlinkInbox inbox, HeartbeatAgent agent, CommandDispatcher dispatcher, IDeviceLog log)
        {
            if (inbox == null || agent == null || dispatcher == null || log == null)
            {
                throw new System.ArgumentNullException("inbox", "every dependency of the router is required");
            }

            _deviceId = deviceId;
            _inbox = inbox;
            _agent = agent;
            _dispatcher = dispatcher;
            _log = log;
        }

        /// <summary>Takes down/ota payloads (the OTA area); null drops them.</summary>
        public IMqttMessageHandler OtaOfferHandler { get; set; }

        /// <summary>Subscribes the device to its down/ topics (one filter, <c>iotsec/v1/d/{id}/down/#</c>).</summary>
        /// <param name="link">The connected link.</param>
        public void Subscribe(IMqttLink link)
        {
            link.Subscribe(new DeviceTopics(_deviceId).DownlinkFilter);
        }

        /// <summary>Handles every waiting message; call from the main loop.</summary>
        /// <returns>How many were handled.</returns>
        public int ProcessPending()
        {
            int handled = 0;
            string topic;
            byte[] payload;
            while (_inbox.TryTake(out topic, out payload))
            {
                Dispatch(topic, payload);
                handled++;
            }

            return handled;
        }

        /// <summary>Handles one message.</summary>
        /// <param name="topic">Its topic.</param>
        /// <param name="payload">Its payload.</param>
        public void Dispatch(string topic, byte[] payload)
        {
            string deviceId;
            TopicKind kind;
            if (!TopicParser.TryParse(topic, out deviceId, out kind) || deviceId != _deviceId)
            {
                _log.Write("downlink: message on a topic not this device's, dropped");
                return;
            }

            switch (kind)
            {
                case TopicKind.HeartbeatAck:
                    _agent.OnAcknowledgement(payload);
                    break;
                case TopicKind.Command:
                    _dispatcher.OnCommand(payload);
                    break;
                case TopicKind.OtaOffer:
                    if (OtaOfferHandler != null)
                    {
                        OtaOfferHandler.OnMessage(topic, payload);
                    }

                    break;
                default:
                    _log.Write("downlink: message on an up/ topic, dropped");
                    break;
            }
        }
    }
}
