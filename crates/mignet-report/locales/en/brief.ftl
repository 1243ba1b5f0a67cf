# The Highlights brief's own words in English: headings, labels and the sentences it makes itself.
# The dataset's narrative, titles and names are the network's words, not these.

brief-achievements = Achievements of Network partners in { $period }
brief-at-a-glance = At a glance
glance-results = { $count ->
    [one] result reported
   *[other] results reported
}
glance-organisations = { $count ->
    [one] organisation reporting
   *[other] organisations reporting
}
glance-joint = { $count ->
    [one] result reported jointly
   *[other] results reported jointly
}
glance-outcomes = { $count ->
    [one] outcome
   *[other] outcomes
} under { $priorities } { $priorities ->
    [one] priority
   *[other] priorities
}
glance-sentence = { $results } { $results ->
    [one] result
   *[other] results
} from { $organisations } { $organisations ->
    [one] organisation
   *[other] organisations
} ({ $joint } reported jointly) under { $priorities } { $priorities ->
    [one] priority
   *[other] priorities
} and { $outcomes } { $outcomes ->
    [one] outcome
   *[other] outcomes
}.
chart-people-title = People reached: the { $count } largest counts of people in { $period }
chart-people-caption = People reached: the largest counts of people in this brief, with the organisations that reported them.
chart-people-kicker = People reached
chart-people-note = The largest counts of people in this brief, with the organisations that reported them
priority-number = Priority { $number }
reported-by = Reported by
reported-jointly-by = Reported jointly by
col-indicator = Indicator
col-progress-against-target = Progress against target
cumulative-mark = (cumulative)
targets = Targets
targets-of-outcome = Targets, outcome { $number }
ways-forward = Ways Forward
ways-forward-of-outcome = Ways forward, outcome { $number }
ways-forward-of-priority = Ways forward, priority { $number }
ways-forward-of-network = Ways forward of the network
brief-pages = Pages of the brief
brief-page-of = Page { $page } of { $pages }.
previous-page = Previous page
next-page = Next page
sub-working-groups = Sub-Working Groups
notes = Notes
computed-figures = Computed figures.
joint-counted = How joint figures were counted.
members = Members: { $names }
group-established = Established { $date }
group-co-chairs = Co-chairs: { $names }
group-secretariat = Secretariat: { $names }
group-renamed = Renamed { $to }
group-renamed-in = Renamed { $to } in { $year }
group-closed = Closed
published-as = {" "}[published as { $number }]
not-computable = [not computable]
places = Places
and-list = { $first } and { $last }
