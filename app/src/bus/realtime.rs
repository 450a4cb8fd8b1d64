//! GTFS Realtime: the types generated from the official schema (see build.rs) and the portal's
//! reading of a feed message: where each vehicle is, each trip's predictions, the alerts.

use std::collections::HashMap;

/// The generated `transit_realtime` package.
#[allow(clippy::all, clippy::pedantic, missing_docs, unreachable_pub)]
pub mod proto {
    include!(concat!(env!("OUT_DIR"), "/transit_realtime.rs"));
}

use proto::vehicle_position::VehicleStopStatus;

/// One run of a trip: frequency-based trips are told apart by their start time.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RunKey {
    pub trip_id: String,
    /// Seconds of the run's first departure (from `start_time`), when the message gives it.
    pub start: Option<u32>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Vehicle {
    pub id: String,
    pub label: String,
    pub run: RunKey,
    pub current_stop_sequence: Option<u32>,
    /// At the stop (rather than on the way to it).
    pub stopped_at: bool,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub timestamp: Option<i64>,
}

/// A prediction for one stop of a run: an absolute time, or a delay on the timetable.
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    pub stop_sequence: Option<u32>,
    pub stop_id: String,
    pub time: Option<i64>,
    pub delay: Option<i32>,
    pub skipped: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunUpdate {
    /// The trip's delay when no stop says otherwise.
    pub delay: Option<i32>,
    pub stops: Vec<Prediction>,
}

/// A text in the languages the company gave it, as (BCP-47 tag, text).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Translated(pub Vec<(String, String)>);

impl Translated {
    /// The text in `language` (a tag prefix such as `zh` or `en`), else the first one given.
    pub fn in_language(&self, language: &str) -> &str {
        self.0
            .iter()
            .find(|(tag, _)| tag.starts_with(language))
            .or_else(|| self.0.first())
            .map(|(_, text)| text.as_str())
            .unwrap_or_default()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ServiceAlert {
    pub header: Translated,
    pub description: Translated,
    pub route_ids: Vec<String>,
    pub stop_ids: Vec<String>,
}

/// What one feed message says, indexed for the arrivals board.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Realtime {
    /// The message's own timestamp (Unix seconds): how old its data is.
    pub timestamp: i64,
    pub vehicles: Vec<Vehicle>,
    pub updates: HashMap<RunKey, RunUpdate>,
    pub alerts: Vec<ServiceAlert>,
}

/// The protobuf bytes of a message, as the company's endpoint serves them.
pub fn encode(message: &proto::FeedMessage) -> Vec<u8> {
    use prost::Message;
    message.encode_to_vec()
}

fn translated(t: Option<&proto::TranslatedString>) -> Translated {
    Translated(
        t.map(|t| t.translation.iter().map(|x| (x.language().to_owned(), x.text.clone())).collect())
            .unwrap_or_default(),
    )
}

fn run_key(trip: &proto::TripDescriptor) -> RunKey {
    RunKey { trip_id: trip.trip_id().to_owned(), start: trip.start_time.as_deref().and_then(super::gtfs::parse_time) }
}

impl Realtime {
    /// Decodes a `FeedMessage` (protobuf bytes).
    pub fn decode(bytes: &[u8]) -> Result<Realtime, prost::DecodeError> {
        use prost::Message;
        Ok(Self::from_message(&proto::FeedMessage::decode(bytes)?))
    }

    pub fn from_message(message: &proto::FeedMessage) -> Realtime {
        let mut out = Realtime { timestamp: message.header.timestamp() as i64, ..Realtime::default() };
        for entity in message.entity.iter().filter(|e| !e.is_deleted()) {
            if let Some(update) = &entity.trip_update {
                let stops = update
                    .stop_time_update
                    .iter()
                    .map(|s| {
                        let event = s.arrival.as_ref().or(s.departure.as_ref());
                        Prediction {
                            stop_sequence: s.stop_sequence,
                            stop_id: s.stop_id().to_owned(),
                            time: event.and_then(|e| e.time),
                            delay: event.and_then(|e| e.delay),
                            skipped: s.schedule_relationship()
                                == proto::trip_update::stop_time_update::ScheduleRelationship::Skipped,
                        }
                    })
                    .collect();
                out.updates.insert(run_key(&update.trip), RunUpdate { delay: update.delay, stops });
            }
            if let Some(v) = &entity.vehicle {
                let Some(trip) = &v.trip else { continue };
                let descriptor = v.vehicle.as_ref();
                out.vehicles.push(Vehicle {
                    id: descriptor.map(|d| d.id().to_owned()).unwrap_or_else(|| entity.id.clone()),
                    label: descriptor.map(|d| d.label().to_owned()).unwrap_or_default(),
                    run: run_key(trip),
                    current_stop_sequence: v.current_stop_sequence,
                    stopped_at: v.current_status() == VehicleStopStatus::StoppedAt,
                    lat: v.position.as_ref().map(|p| f64::from(p.latitude)),
                    lon: v.position.as_ref().map(|p| f64::from(p.longitude)),
                    timestamp: v.timestamp.map(|t| t as i64),
                });
            }
            if let Some(a) = &entity.alert {
                out.alerts.push(ServiceAlert {
                    header: translated(a.header_text.as_ref()),
                    description: translated(a.description_text.as_ref()),
                    route_ids: a.informed_entity.iter().filter_map(|e| e.route_id.clone()).collect(),
                    stop_ids: a.informed_entity.iter().filter_map(|e| e.stop_id.clone()).collect(),
                });
            }
        }
        out
    }
}
