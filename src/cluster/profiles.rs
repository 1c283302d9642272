//! What each cluster holds, in a marketer's units: labels ordered by spend, member means and
//! medians, the plain-language names, and the scatter sample.

use super::kmeans::Partition;
use super::names::{base_name, make_names_unique, ClusterName};
use super::silhouette::seeded_sample;
use super::{
    money_known, ClusterFeatures, ClusterParams, ClusterProfile, Feature, ScatterColumn, ScatterSample,
};
use crate::customers::Customers;
use crate::money::{self, MoneySum};

/// Old (0-based) cluster indices in label order: ascending mean monetary, then mean frequency,
/// then centroid.
pub(super) fn relabel_order(customers: &Customers, part: &Partition, p: usize) -> Vec<usize> {
    let k = part.k;
    let mut spent = vec![MoneySum::default(); k];
    let mut freq = vec![0.0; k];
    let mut count = vec![0usize; k];
    for (i, &l) in part.labels.iter().enumerate() {
        count[l] += 1;
        if customers.has_amount {
            spent[l].add(customers.monetary.get(i).copied().unwrap_or(0.0));
        }
        freq[l] += customers.frequency.get(i).copied().map_or(0.0, f64::from);
    }
    let mut money = vec![0.0; k];
    for c in 0..k {
        let m = count[c].max(1) as f64;
        money[c] = spent[c].value() / m;
        freq[c] /= m;
    }
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| {
        money[a]
            .total_cmp(&money[b])
            .then(freq[a].total_cmp(&freq[b]))
            .then_with(|| {
                let ca = &part.centroids[a * p..(a + 1) * p];
                let cb = &part.centroids[b * p..(b + 1) * p];
                ca.iter()
                    .zip(cb)
                    .map(|(x, y)| x.total_cmp(y))
                    .find(|o| o.is_ne())
                    .unwrap_or(std::cmp::Ordering::Equal)
            })
    });
    order
}

fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_unstable_by(f64::total_cmp);
    let m = values.len() / 2;
    if values.len() % 2 == 1 {
        values[m]
    } else {
        (values[m - 1] + values[m]) / 2.0
    }
}

pub(super) fn profiles(
    customers: &Customers,
    features: &ClusterFeatures,
    part: &Partition,
    order: &[usize],
    label: &[u8],
) -> Vec<ClusterProfile> {
    let n = label.len();
    let k = part.k;
    let p = features.scales.len();
    let has_money = money_known(customers);
    let recency = |i: usize| Feature::RecencyDays.value(customers, i);
    let frequency = |i: usize| Feature::Frequency.value(customers, i);
    let monetary = |i: usize| Feature::Monetary.value(customers, i);
    let overall_r = median(&mut (0..n).map(recency).collect::<Vec<_>>());
    let overall_f = median(&mut (0..n).map(frequency).collect::<Vec<_>>());
    let overall_m = median(&mut (0..n).map(monetary).collect::<Vec<_>>());
    let total_revenue = if customers.has_amount {
        money::sum((0..n).map(monetary))
    } else {
        0.0
    };

    let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (i, &l) in label.iter().enumerate() {
        if let Some(m) = members.get_mut(usize::from(l).wrapping_sub(1)) {
            m.push(i);
        }
    }
    let mut out = Vec::with_capacity(k);
    for (pos, &old) in order.iter().enumerate() {
        let rows = &members[pos];
        let size = rows.len();
        let mean_of = |f: &dyn Fn(usize) -> f64| {
            if size == 0 {
                0.0
            } else {
                rows.iter().map(|&i| f(i)).sum::<f64>() / size as f64
            }
        };
        let revenue = if customers.has_amount {
            money::sum(rows.iter().map(|&i| monetary(i)))
        } else {
            0.0
        };
        let med_r = median(&mut rows.iter().map(|&i| recency(i)).collect::<Vec<_>>());
        let med_f = median(&mut rows.iter().map(|&i| frequency(i)).collect::<Vec<_>>());
        let med_m = median(&mut rows.iter().map(|&i| monetary(i)).collect::<Vec<_>>());
        let centroid = features
            .scales
            .iter()
            .enumerate()
            .map(|(j, s)| libm::expm1(s.mean + s.std * part.centroids[old * p + j]))
            .collect();
        let name = base_name(
            med_r < overall_r,
            med_f,
            overall_f,
            has_money.then_some(med_m > overall_m),
        );
        out.push(ClusterProfile {
            label: (pos + 1) as u8,
            name: name.english(),
            coded_name: name,
            size,
            share: if n > 0 { size as f64 / n as f64 } else { 0.0 },
            revenue,
            revenue_share: if total_revenue > 0.0 {
                revenue / total_revenue
            } else {
                0.0
            },
            centroid,
            mean_recency_days: mean_of(&recency),
            mean_frequency: mean_of(&frequency),
            mean_monetary: mean_of(&monetary),
            median_recency_days: med_r,
            median_frequency: med_f,
            median_monetary: med_m,
            top_segments: Vec::new(),
        });
    }
    let mut names: Vec<ClusterName> = out.iter().map(|p| p.coded_name).collect();
    make_names_unique(&mut names, has_money);
    for (p, name) in out.iter_mut().zip(names) {
        p.name = name.english();
        p.coded_name = name;
    }
    out
}

/// A seeded sample of customers for the scatter plot, with every feature the file supports.
pub(super) fn scatter(customers: &Customers, label: &[u8], params: &ClusterParams) -> ScatterSample {
    let n = label.len();
    let has_money = money_known(customers);
    let scatter_rows = seeded_sample(n, params.scatter_sample, params.seed ^ 0x5ca7_7e40);
    let columns = Feature::ALL
        .iter()
        .filter(|f| has_money || !f.needs_money())
        .map(|&f| ScatterColumn {
            feature: f,
            values: scatter_rows.iter().map(|&i| f.value(customers, i)).collect(),
        })
        .collect();
    ScatterSample {
        customer: scatter_rows.iter().map(|&i| i as u32).collect(),
        label: scatter_rows.iter().map(|&i| label[i]).collect(),
        columns,
    }
}
