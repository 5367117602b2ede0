using System.Collections;
using System.Threading;
using IoTSec.Firmware.Platform;
using IoTSec.Protocol.Topics;

namespace IoTSec.Firmware.Commands
{
    /// <summary>
    /// Hands messages from the MQTT link's thread to the device's main loop: a bounded queue
    /// (<see cref="Capacity"/> messages of at most <see cref="MaxPayloadLength"/> bytes), so a
    /// peer flooding the device's down/ topics costs a fixed amount of RAM and a count of
    /// dropped messages, never an out-of-memory reset.
    /// </summary>
    /// <remarks>
    /// The handlers run on the main loop, not on the link's thread, so a reboot command
    /// restarts the device from the loop that owns it, and the heartbeat agent and the command
    /// dispatcher need no locks.
    /// </remarks>
    public sealed class DownlinkInbox : IMqttMessageHandler
    {
        /// <summary>Default number of messages held.</summary>
        public const int DefaultCapacity = 8;

        /// <summary>Largest message kept: the largest downlink message (a command, 8,192 bytes).</summary>
        public const int MaxPayloadLength = DeviceCommand.MaxEncodedLength;

        private readonly object _gate = new object();
        // ArrayList: the only collection nanoFramework's mscorlib has.
        private readonly ArrayList _messages = new ArrayList();
        private readonly int _capacity;

        // Signalled whenever a message or a connection loss arrives (nanoFramework's Monitor
        // has no Wait/Pulse; its AutoResetEvent is there).
        private readonly AutoResetEvent _arrived = new AutoResetEvent(false);

        /// <summary>Creates an inbox holding <see cref="DefaultCapacity"/> messages.</summary>
        public DownlinkInbox()
            : this(DefaultCapacity)
        {
        }

        /// <summary>Creates an inbox.</summary>
        /// <param name="capacity">Messages held at most (1 to 64).</param>
        public DownlinkInbox(int capacity)
        {
            if (capacity < 1 || capacity > 64)
            {
                throw new System.ArgumentOutOfRangeException("capacity", "an inbox holds 1 to 64 messages");
            }

            _capacity = capacity;
        }

        /// <summary>Messages held at most.</summary>
        public int Capacity
        {
            get { return _capacity; }
        }

        /// <summary>Messages dropped because the inbox was full or they were too large.</summary>
        public int Dropped { get; private set; }

        /// <summary>Messages waiting.</summary>
        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _messages.Count;
                }
            }
        }

        /// <summary>True once the link reported the connection lost (until <see cref="ClearConnectionLost"/>).</summary>
        public bool ConnectionLost { get; private set; }

        /// <summary>Why the connection was lost, for the log.</summary>
        public string ConnectionLostReason { get; private set; }

        /// <inheritdoc />
        public void OnMessage(string topic, byte[] payload)
        {
            lock (_gate)
            {
                if (topic == null || payload == null || payload.Length > MaxPayloadLength || _messages.Count >= _capacity)
                {
                    Dropped++;
                    return;
                }

                _messages.Add(new Message(topic, payload));
            }

            _arrived.Set();
        }

        /// <inheritdoc />
        public void OnConnectionLost(string reason)
        {
            lock (_gate)
            {
                ConnectionLost = true;
                ConnectionLostReason = reason;
            }

            _arrived.Set();
        }

        /// <summary>Forgets a reported connection loss (after reconnecting).</summary>
        public void ClearConnectionLost()
        {
            lock (_gate)
            {
                ConnectionLost = false;
                ConnectionLostReason = null;
            }
        }

        /// <summary>Takes the oldest message.</summary>
        /// <param name="topic">Its topic.</param>
        /// <param name="payload">Its payload.</param>
        /// <returns>False when the inbox is empty.</returns>
        public bool TryTake(out string topic, out byte[] payload)
        {
            lock (_gate)
            {
                if (_messages.Count == 0)
                {
                    topic = null;
                    payload = null;
                    return false;
                }

                var message = (Message)_messages[0];
                _messages.RemoveAt(0);
                topic = message.Topic;
                payload = message.Payload;
                return true;
            }
        }

        /// <summary>Blocks until a message waits or the connection is lost, at most <paramref name="timeoutMs"/>.</summary>
        /// <param name="timeoutMs">Longest wait.</param>
        /// <returns>True when a message waits.</returns>
        public bool WaitForMessage(int timeoutMs)
        {
            if (Count > 0 || ConnectionLost)
            {
                return Count > 0;
            }

            _arrived.WaitOne(timeoutMs, false);
            return Count > 0;
        }

        private sealed class Message
        {
            public Message(string topic, byte[] payload)
            {
                Topic = topic;
                Payload = payload;
            }

            public string Topic { get; private set; }

            public byte[] Payload { get; private set; }
        }
    }
}
