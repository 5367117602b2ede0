using System;
using System.Threading;
using IoTSec.Firmware.Commands;
using IoTSec.Firmware.Enrolment;
using IoTSec.Firmware.Heartbeat;
using IoTSec.Firmware.Http;
using IoTSec.Firmware.Lifecycle;
using IoTSec.Firmware.Ota;
using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Provisioning;
using IoTSec.Firmware.Time;
using IoTSec.Protocol.Crypto;
using IoTSec.Protocol.Heartbeat;
using IoTSec.Protocol.Provisioning;
using IoTSec.Protocol.Topics;

namespace IoTSec.Firmware.Device
{
    using BootCounter = IoTSec.Firmware.Lifecycle.BootCounter;

    /// <summary>
    /// The firmware as one running device: the boot sequence and the main loop that compose
    /// the lifecycle, provisioning console, enrolment, heartbeats, commands and OTA
    /// (docs/firmware/device-runtime.md).
    /// </summary>
    /// <remarks>
    /// <see cref="Run"/> is one boot. It returns only after <see cref="Stop"/>; a reboot (the
    /// Reboot command, a reverted trial, the end of a safe-mode hold, a power cut in the desktop
    /// flash) leaves it as <see cref="DeviceRebootException"/>, which the device layer answers
    /// by booting again from flash (hardware resets instead).
    /// </remarks>
    public sealed class DeviceRuntime
    {
        /// <summary>The longest the main loop sleeps between looks at its flags, milliseconds.</summary>
        public const int MaxLoopWaitMs = 1000;

        private const string BundleFileName = "app.bundle";

        private readonly DeviceServices _services;
        private readonly DeviceRuntimeSettings _settings;
        private readonly AutoResetEvent _wake = new AutoResetEvent(false);
        private readonly object _gate = new object();
        private bool _stopping;
        private string _rebootReason;
        private DeviceRunPhase _phase;
        private LifecycleMachine _lifecycle;
        private HeartbeatAgent _agent;
        private string _deviceId;
        private ConsoleService _console;
        private Thread _consoleThread;

        /// <summary>Prepares one boot.</summary>
        /// <param name="services">The device layer.</param>
        /// <param name="settings">Tunables (null: the hardware defaults).</param>
        public DeviceRuntime(DeviceServices services, DeviceRuntimeSettings settings)
        {
            if (services == null)
            {
                throw new ArgumentNullException("services");
            }

            _services = services;
            _settings = settings == null ? new DeviceRuntimeSettings() : settings;
        }

        /// <summary>Where this boot is.</summary>
        public DeviceRunPhase Phase
        {
            get
            {
                lock (_gate)
                {
                    return _phase;
                }
            }
        }

        /// <summary>The persisted lifecycle state (Unprovisioned before the boot reads it).</summary>
        public LifecycleState Lifecycle
        {
            get
            {
                LifecycleMachine lifecycle = _lifecycle;
                return lifecycle == null ? LifecycleState.Unprovisioned : lifecycle.Current;
            }
        }

        /// <summary>The provisioned device id, or null before the identity is loaded.</summary>
        public string DeviceId
        {
            get
            {
                return _deviceId;
            }
        }

        /// <summary>Heartbeats the gateway acknowledged during this boot.</summary>
        public int HeartbeatsAcknowledged
        {
            get
            {
                HeartbeatAgent agent = _agent;
                return agent == null ? 0 : agent.AcknowledgedSinceBoot;
            }
        }

        /// <summary>The gateway's verdict on the last acknowledged heartbeat of this boot.</summary>
        public HeartbeatAckVerdict LastHeartbeatVerdict
        {
            get
            {
                HeartbeatAgent agent = _agent;
                return agent == null ? HeartbeatAckVerdict.Accepted : agent.LastVerdict;
            }
        }

        /// <summary>The next heartbeat sequence number (the chain continues across boots).</summary>
        public ulong NextHeartbeatSequence
        {
            get
            {
                HeartbeatAgent agent = _agent;
                return agent == null ? 0 : agent.NextSequence;
            }
        }

        /// <summary>Whether <paramref name="flash"/> holds a committed identity (a device layer's check before it runs a device without a console).</summary>
        /// <param name="flash">The device's flash.</param>
        /// <param name="digests">SHA-256.</param>
        /// <returns>True when provisioned.</returns>
        public static bool IsProvisioned(IFlashStore flash, IDigestProvider digests)
        {
            return new ProvisionedStore(flash, digests).IsProvisioned();
        }

        /// <summary>Asks <see cref="Run"/> to return (from any thread); it closes the broker session and the console first.</summary>
        public void Stop()
        {
            lock (_gate)
            {
                _stopping = true;
            }

            _wake.Set();
        }

        /// <summary>Runs one boot until <see cref="Stop"/>.</summary>
        /// <exception cref="DeviceRebootException">The device restarts: boot again from flash.</exception>
        public void Run()
        {
            IDeviceLog log = _services.Log;
            SetPhase(DeviceRunPhase.Booting);
            BootCounter boots = new BootCounter(_services.Flash, _settings.MaxBootsWithoutHealthy);
            bool safeMode = boots.RecordBoot();
            _lifecycle = new LifecycleMachine(_services.Flash, log);
            FlashProvisioningTarget target = new FlashProvisioningTarget(_services.Flash, _services.Platform, _lifecycle, _services.Facts, log);
            target.RecoverAfterBoot();
            StartConsole(target);
            try
            {
                if (safeMode)
                {
                    // lifecycle.md: no enrolment, MQTT or download; the console stays; after the
                    // hold, exactly one more attempt.
                    SetPhase(DeviceRunPhase.SafeMode);
                    log.Write("device: safe mode (" + boots.BootsSinceHealthy.ToString() + " boots without becoming healthy); console only for " + _settings.SafeModeHoldMs.ToString() + " ms");
                    if (!WaitOrStop(_settings.SafeModeHoldMs))
                    {
                        return;
                    }

                    // One more attempt, in this boot (BootCounter: the run is set back to the
                    // cap, so a failure and the next boot put the device in safe mode again).
                    boots.LeaveSafeMode();
                    log.Write("device: safe mode hold over; one more attempt");
                }

                ProvisionedIdentity identity = WaitForIdentity();
                if (identity == null)
                {
                    return;
                }

                _deviceId = identity.DeviceId;
                if (_lifecycle.Current == LifecycleState.Decommissioned)
                {
                    StayDecommissioned();
                    return;
                }

                RunProvisioned(identity, target, boots);
            }
            finally
            {
                StopConsole();
                _services.Mqtt.Disconnect();
                SetPhase(DeviceRunPhase.Stopped);
            }
        }

        private void RunProvisioned(ProvisionedIdentity identity, FlashProvisioningTarget target, BootCounter boots)
        {
            IDeviceLog log = _services.Log;
            IFlashStore flash = _services.Flash;
            IDevicePlatform platform = _services.Platform;
            IMqttLink link = _services.Mqtt;
            ProvisioningConfiguration configuration = identity.Configuration;

            TrustAnchorStore anchors = new TrustAnchorStore(flash, identity.TrustAnchors);
            TrustedClock trustedClock = new TrustedClock(_services.Clock);
            HeartbeatKeyHolder key = new HeartbeatKeyHolder();
            RefusalRecord refusals = new RefusalRecord(flash);
            DeviceStatusSource status = new DeviceStatusSource(new OtaStatus(flash), _services.Facts, target, configuration, platform.Digests);
            DownlinkInbox inbox = new DownlinkInbox();
            OtaOfferQueue offers = new OtaOfferQueue();
            DeviceCommandActions actions = new DeviceCommandActions();
            HeartbeatAgent agent = new HeartbeatAgent(identity.DeviceId, flash, _services.Clock, platform, link, status, key, trustedClock, refusals, log);
            agent.IntervalSeconds = configuration.HeartbeatIntervalSeconds;
            agent.Anchors = anchors;
            CommandDispatcher dispatcher = new CommandDispatcher(identity.DeviceId, flash, link, platform, key, trustedClock, refusals, anchors, actions, agent, log);
            DownlinkRouter router = new DownlinkRouter(identity.DeviceId, inbox, agent, dispatcher, log);
            router.OtaOfferHandler = offers;
            EnrolmentBackoff backoff = new EnrolmentBackoff(platform, _settings.ReconnectBaseDelayMs, _settings.ReconnectMaxDelayMs);
            EnrolmentClient enrolment = new EnrolmentClient(identity, _services.Channels, platform, _services.Clock, flash, log);
            enrolment.Backoff = backoff;
            enrolment.TimeoutMs = _settings.HttpTimeoutMs;
            agent.Boot();
            _agent = agent;

            OperationalCredentials credentials = Enrol(enrolment, backoff, -1, false);
            if (credentials == null)
            {
                return;
            }

            if (_lifecycle.Current == LifecycleState.Provisioned)
            {
                _lifecycle.TryMove(LifecycleState.Enrolled, "EST enrolment returned the operational certificate");
            }

            key.Set(credentials.HeartbeatKey);
            SwitchableFirmwareSource downloads = new SwitchableFirmwareSource();
            downloads.Current = Downloads(configuration, credentials, anchors);
            UpdateAgentSettings updateSettings = new UpdateAgentSettings(_settings.VendorId, _settings.ClassId != null ? _settings.ClassId : DeviceClassId.Derive(_settings.VendorId, configuration.DeviceClass, platform.Digests), _settings.SlotCapacity);
            updateSettings.TrialAttempts = _settings.TrialAttempts;
            updateSettings.ConfirmDeadlineMs = _settings.ConfirmDeadlineMs;
            UpdateAgent updates = new UpdateAgent(flash, platform, _services.Clock, downloads, anchors.Current, updateSettings, _lifecycle, log);

            bool firstAckHandled = false;
            bool reconnect = true;
            int acksAtRenewal = 0;
            while (!IsStopping())
            {
                CheckReboot();
                if (reconnect || !link.IsConnected || inbox.ConnectionLost)
                {
                    if (!Connect(identity, credentials, anchors, inbox, router, backoff))
                    {
                        return;
                    }

                    reconnect = false;
                }

                // Renewal first, so no heartbeat goes out under a key about to be replaced.
                // A renewal is decided on gateway time heard since the last one: until the new
                // session's first acknowledgement re-synchronises the clock, a clock that ran
                // ahead would otherwise renew again on every pass.
                bool reEnrol = actions.TakeReEnrol();
                bool renewalDue = trustedClock.IsSynchronised && agent.AcknowledgedSinceBoot > acksAtRenewal && EnrolmentClient.NeedsRenewal(credentials, trustedClock.UnixSeconds);
                if (reEnrol || renewalDue)
                {
                    // Renewal at two thirds of the lifetime by the trusted clock (or on command):
                    // a new key and epoch, so a new heartbeat key and chain, and a new session.
                    log.Write(reEnrol ? "device: re-enrolment requested by the gateway" : "device: operational certificate due for renewal");
                    OperationalCredentials renewed = Enrol(enrolment, backoff, trustedClock.UnixSeconds, reEnrol, credentials);
                    if (renewed == null)
                    {
                        return;
                    }

                    credentials = renewed;
                    acksAtRenewal = agent.AcknowledgedSinceBoot;
                    key.Set(credentials.HeartbeatKey);
                    downloads.Current = Downloads(configuration, credentials, anchors);
                    reconnect = true;
                    continue;
                }

                SetPhase(DeviceRunPhase.Running);
                long wait = agent.Tick();
                router.ProcessPending();

                if (!firstAckHandled && agent.AcknowledgedSinceBoot > 0)
                {
                    firstAckHandled = true;
                    OnFirstAcknowledgement(updates, boots, trustedClock);
                }

                updates.CheckTrialDeadline();
                if (firstAckHandled)
                {
                    HandleOffer(offers, key, configuration, credentials, anchors, updates, refusals, trustedClock);
                }

                if (actions.DecommissionRequested)
                {
                    Decommission(key);
                    StayDecommissioned();
                    return;
                }

                if (actions.TakeRefreshHeartbeatKey())
                {
                    try
                    {
                        credentials = enrolment.FetchHeartbeatKey(credentials);
                        key.Set(credentials.HeartbeatKey);
                    }
                    catch (EnrolmentException e)
                    {
                        log.Write("device: heartbeat key refresh failed (" + EnrolmentException.ReasonName(e.Reason) + "): " + e.Message);
                        refusals.Record(RefusalCode.HeartbeatKeyFetchFailed);
                    }
                }

                int sleep = (int)(wait < MaxLoopWaitMs ? (wait < 1 ? 1 : wait) : MaxLoopWaitMs);
                inbox.WaitForMessage(sleep);
            }
        }

        private void OnFirstAcknowledgement(UpdateAgent updates, BootCounter boots, TrustedClock trustedClock)
        {
            // The gateway accepted a heartbeat of this boot: enrolled and heard, so healthy.
            if (updates.TrialRunning)
            {
                updates.Confirm();
            }

            if (_lifecycle.Current == LifecycleState.Enrolled)
            {
                _lifecycle.TryMove(LifecycleState.Operating, "heartbeat key fetched and the first heartbeat acknowledged");
            }

            boots.MarkHealthy();
            long now = trustedClock.IsSynchronised ? trustedClock.UnixSeconds : TrustedClock.NoTrustedTime;
            updates.ResumeAfterBoot(now);
        }

        private void HandleOffer(OtaOfferQueue offers, HeartbeatKeyHolder key, ProvisioningConfiguration configuration, OperationalCredentials credentials, TrustAnchorStore anchors, UpdateAgent updates, RefusalRecord refusals, TrustedClock trustedClock)
        {
            byte[] payload = offers.Take();
            if (payload == null || !key.HasKey)
            {
                return;
            }

            IDeviceLog log = _services.Log;
            OtaOffer offer;
            try
            {
                offer = OtaOffer.Decode(payload, 0, payload.Length, key.Key, _services.Platform.Digests);
            }
            catch (Exception e)
            {
                // Forged or damaged: not an instruction (the MAC is under the heartbeat key).
                log.Write("ota: offer refused: " + e.Message);
                refusals.Record(RefusalCode.DownlinkBadMac);
                return;
            }

            byte[] manifest;
            try
            {
                Http11Client client = new Http11Client(_services.Channels, configuration.GatewayHost, configuration.GatewayPort, credentials.ToTlsCredentials(anchors.CurrentGatewayRoot()), _settings.HttpTimeoutMs, HttpLimits.Default);
                HttpResponse response = client.Send(new HttpRequest("GET", offer.ManifestPath));
                if (response.StatusCode != 200)
                {
                    log.Write("ota: manifest " + offer.ManifestPath + " answered " + response.StatusCode.ToString());
                    refusals.Record(RefusalCode.DownloadFailed);
                    return;
                }

                manifest = response.Body;
            }
            catch (Exception e)
            {
                log.Write("ota: manifest download failed: " + e.Message);
                refusals.Record(RefusalCode.DownloadFailed);
                return;
            }

            if (!ConstantTime.AreEqual(Sha256Of(manifest), offer.GetManifestDigest()))
            {
                log.Write("ota: manifest bytes do not match the offer's digest");
                refusals.Record(RefusalCode.ManifestDigestMismatch);
                return;
            }

            long now = trustedClock.IsSynchronised ? trustedClock.UnixSeconds : TrustedClock.NoTrustedTime;
            OfferOutcome outcome = updates.Offer(manifest, BundlePathOf(offer.ManifestPath), now);
            log.Write("ota: offer of rollout " + offer.RolloutId + ": outcome " + ((int)outcome).ToString());
        }

        /// <summary>The bundle sits next to its manifest: "/ota/releases/R/manifest" → "/ota/releases/R/app.bundle".</summary>
        internal static string BundlePathOf(string manifestPath)
        {
            int slash = manifestPath.LastIndexOf('/');
            return manifestPath.Substring(0, slash + 1) + BundleFileName;
        }

        private bool Connect(ProvisionedIdentity identity, OperationalCredentials credentials, TrustAnchorStore anchors, DownlinkInbox inbox, DownlinkRouter router, EnrolmentBackoff backoff)
        {
            SetPhase(DeviceRunPhase.Connecting);
            IMqttLink link = _services.Mqtt;
            ProvisioningConfiguration configuration = identity.Configuration;
            int failures = 0;
            while (!IsStopping())
            {
                CheckReboot();
                try
                {
                    link.Disconnect();
                    inbox.ClearConnectionLost();
                    link.Connect(configuration.GatewayHost, configuration.MqttPort, identity.DeviceId, credentials.ToTlsCredentials(anchors.CurrentGatewayRoot()), inbox);
                    router.Subscribe(link);
                    if (failures > 0)
                    {
                        _services.Log.Write("device: connected to the broker after " + failures.ToString() + " failed attempts");
                    }

                    return true;
                }
                catch (NetworkException e)
                {
                    // Jittered exponential backoff (full jitter): a gateway restart must not be
                    // met by the whole fleet reconnecting in the same second.
                    failures++;
                    int delay = backoff.NextDelayMs(failures, -1);
                    _services.Log.Write("device: broker connection failed (" + e.Message + "); retrying in " + delay.ToString() + " ms");
                    if (!WaitOrStop(delay))
                    {
                        return false;
                    }
                }
            }

            return false;
        }

        private OperationalCredentials Enrol(EnrolmentClient enrolment, EnrolmentBackoff backoff, long now, bool forceRenewal)
        {
            return Enrol(enrolment, backoff, now, forceRenewal, null);
        }

        private OperationalCredentials Enrol(EnrolmentClient enrolment, EnrolmentBackoff backoff, long now, bool forceRenewal, OperationalCredentials current)
        {
            SetPhase(DeviceRunPhase.Enrolling);
            int rounds = 0;
            while (!IsStopping())
            {
                CheckReboot();
                try
                {
                    if (forceRenewal && current != null)
                    {
                        try
                        {
                            return enrolment.Renew(current);
                        }
                        catch (EnrolmentException e)
                        {
                            if (e.IsTransient)
                            {
                                throw;
                            }

                            // Refused for the current certificate: EnsureEnrolled falls back to
                            // the birth certificate.
                            _services.Log.Write("device: re-enrolment refused (" + EnrolmentException.ReasonName(e.Reason) + "); enrolling again");
                            OperationalCredentials.Erase(_services.Flash);
                            forceRenewal = false;
                        }
                    }

                    return enrolment.EnsureEnrolled(now, _settings.EnrolmentAttempts);
                }
                catch (EnrolmentException e)
                {
                    rounds++;
                    int delay = backoff.NextDelayMs(rounds, e.RetryAfterSeconds);
                    _services.Log.Write("device: enrolment failed (" + EnrolmentException.ReasonName(e.Reason) + "): " + e.Message + "; next round in " + delay.ToString() + " ms");
                    if (!WaitOrStop(delay))
                    {
                        return null;
                    }
                }
            }

            return null;
        }

        private void Decommission(HeartbeatKeyHolder key)
        {
            // The acknowledgement went out already (CommandDispatcher): erase what lets the
            // device speak to the gateway and stop. The provisioned identity stays until a
            // factory reset, but a decommissioned device never enrols again by itself.
            _lifecycle.TryMove(LifecycleState.Decommissioned, "decommission command");
            OperationalCredentials.Erase(_services.Flash);
            key.Clear();
            _services.Mqtt.Disconnect();
            _services.Log.Write("device: decommissioned; operational credentials erased");
        }

        private void StayDecommissioned()
        {
            SetPhase(DeviceRunPhase.Decommissioned);
            _services.Log.Write("device: decommissioned; only the provisioning console answers (factory reset to reuse the board)");
            while (WaitOrStop(MaxLoopWaitMs))
            {
            }
        }

        private ProvisionedIdentity WaitForIdentity()
        {
            ProvisionedStore store = new ProvisionedStore(_services.Flash, _services.Platform.Digests);
            bool said = false;
            while (!IsStopping())
            {
                CheckReboot();
                try
                {
                    ProvisionedIdentity identity = store.Load();
                    if (identity != null)
                    {
                        return identity;
                    }
                }
                catch (ProvisionedStoreException e)
                {
                    if (!said)
                    {
                        _services.Log.Write("device: provisioned set unreadable (" + e.Message + "); waiting for the console");
                    }
                }

                if (!said)
                {
                    SetPhase(DeviceRunPhase.WaitingForProvisioning);
                    _services.Log.Write("device: not provisioned; waiting for the provisioning console");
                    said = true;
                }

                WaitOrStop(_settings.ProvisioningPollMs);
            }

            return null;
        }

        private void StartConsole(FlashProvisioningTarget target)
        {
            if (_services.Console == null)
            {
                return;
            }

            _console = new ConsoleService(_services.Console, target, _services.Log);
            _consoleThread = new Thread(RunConsole);
            _consoleThread.Start();
        }

        private void RunConsole()
        {
            try
            {
                _console.Run();
            }
            catch (DeviceRebootException e)
            {
                // A command restarted the device (or the desktop flash lost power): the main
                // loop throws it on its own thread, where the device layer reboots.
                RequestReboot(e.Message);
            }
            catch (Exception e)
            {
                _services.Log.Write("console: stopped by " + e.GetType().Name + ": " + e.Message);
            }
        }

        private void StopConsole()
        {
            if (_console == null)
            {
                return;
            }

            _console.Stop();
            if (_consoleThread != null && _consoleThread != Thread.CurrentThread)
            {
                _consoleThread.Join(ConsoleService.PollIntervalMs * 10);
            }

            _console = null;
            _consoleThread = null;
        }

        /// <summary>Restarts the device from another thread (the reset button): <see cref="Run"/> throws <see cref="DeviceRebootException"/> at its next look.</summary>
        /// <param name="reason">Why, for the log.</param>
        public void RequestReboot(string reason)
        {
            lock (_gate)
            {
                if (_rebootReason == null)
                {
                    _rebootReason = reason == null ? "reboot" : reason;
                }
            }

            _wake.Set();
        }

        private void CheckReboot()
        {
            string reason;
            lock (_gate)
            {
                reason = _rebootReason;
            }

            if (reason != null)
            {
                throw new DeviceRebootException(reason);
            }
        }

        /// <summary>Waits <paramref name="milliseconds"/> unless stopped or rebooting first.</summary>
        /// <returns>False when stopped.</returns>
        private bool WaitOrStop(int milliseconds)
        {
            if (IsStopping())
            {
                return false;
            }

            _wake.WaitOne(milliseconds < 0 ? 0 : milliseconds, false);
            CheckReboot();
            return !IsStopping();
        }

        private bool IsStopping()
        {
            lock (_gate)
            {
                return _stopping;
            }
        }

        private void SetPhase(DeviceRunPhase phase)
        {
            lock (_gate)
            {
                _phase = phase;
            }
        }

        private IFirmwareSource Downloads(ProvisioningConfiguration configuration, OperationalCredentials credentials, TrustAnchorStore anchors)
        {
            return new HttpFirmwareSource(new Http11Client(_services.Channels, configuration.GatewayHost, configuration.GatewayPort, credentials.ToTlsCredentials(anchors.CurrentGatewayRoot()), _settings.HttpTimeoutMs, HttpLimits.Default));
        }

        private byte[] Sha256Of(byte[] data)
        {
            IHashAlgorithm hash = _services.Platform.Digests.CreateSha256();
            try
            {
                hash.Update(data, 0, data.Length);
                byte[] digest = new byte[32];
                hash.Final(digest, 0);
                return digest;
            }
            finally
            {
                hash.Dispose();
            }
        }
    }
}
