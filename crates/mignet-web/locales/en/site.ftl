# The public site's words in English: the language every other one falls back to.
# Each message has the same id in every language's site.ftl; a message missing from a language is
# shown in English, marked as English (lang="en"), so that a reader and a translator both see it.

# The language's own name, as the language switch prints it.
language-name = English

## Layout
meta-description = Results of a network on migration: what its members report, approved by its coordinator, with every number traced to who reported it.
skip-to-content = Skip to content
nav-main = Main
nav-overview = Overview
nav-indicators = Indicators
nav-sources = Sources
nav-pledges = Pledges
nav-groups = Working groups
nav-gcm = GCM
nav-sdg = SDG
nav-downloads = Downloads
nav-editions = Editions
nav-review = Review
nav-framework = Framework
nav-accounts = Accounts
nav-your-figures = Your figures
nav-approve = Approve
nav-messages = Messages
search-site = Search the site
search-placeholder = Search
search-button = Search
sign-in = Sign in
sign-out = Sign out
language-switch = Language
footer = Figures are those reported by network members and approved by the coordinator. Every number links to who reported it.

## Overview
period-label = Period
show = Show
read-highlights = Read the Highlights { $period }
sources-and-notes = Sources and notes
edition-note = Edition { $number } of these results, published
edition-files = its files
edition-files-errata = its files and errata
period-open = Reporting for { $period } is under way: these figures are not final.
period-unpublished = Not yet published: { $period } is in preparation, and its figures may still change.
headline-results = Headline results
people-reached = People reached
where-delivered = Where figures were delivered
map-shaded = Shaded: the { $places } where the network's results were delivered. Most results are national and name no { $place }.
places-listed = The places where the network's results were delivered. Most results are national and name no place.
no-places = No result of { $period } names a place: they are national.
map-label = { $places } where approved figures of { $period } were delivered
map-alt = Map of { $of }. { $label }, shaded: { $areas }
map-alt-none = Map of { $of }. { $label }: none
map-area-figures = { $name } ({ $code }): { $count ->
    [one] 1 figure
   *[other] { $count } figures
}
priority-number = Priority { $number }
including = including { $value } { $part }
no-figures-outcome = No figures for this outcome in { $period }.
member-organisations = Member organisations
reported-in = reported in { $period }

chart-people-title = The largest numbers of people reached in { $period }, by approved figure

## Figure statuses
status-draft = draft
status-submitted = submitted
status-returned = returned
status-approved = approved

## Indicator kinds
kind-count = count
kind-milestone = milestone
kind-percentage = percentage

## Indicators
title-indicators = Indicators
indicators-caption = The results framework's indicators, with the number of figures you can see for each
col-code = Code
col-indicator = Indicator
col-unit = Unit
col-figures = Figures

## One indicator
indicator-code = Indicator { $code }
outcome-code = outcome { $code }
fact-unit = Unit
fact-kind = Kind
fact-parts = Parts
fact-places = Places
fact-gcm = GCM objectives
fact-sdg = SDG targets
fact-baseline = Baseline
fact-targets = Targets
target-in = { $value } in { $period }
cumulative = cumulative
progress-heading = Progress against targets
progress-chart-title = Progress against targets: { $indicator }. Approved figures by period (bars) and each period's target (tick).
progress-chart-caption = Approved figures by period (bars) and each period's target (tick).
progress-caption = Baseline to latest period, from approved figures
col-period = Period
col-reported = Reported
col-target = Target
col-percent-of-target = Per cent of target
col-progress = Progress
target-by = by { $period } (cumulative)
figures-by-period = Figures by period and organisation
col-figure = Figure
col-value = Value
col-organisations = Organisations
col-status = Status
jointly = jointly: { $method }
no-figures-yet = No figures yet.

## One figure
figure-kicker = Figure { $id }
indicator-link = indicator { $code }
fact-reported-by = Reported by
joint-counted-once = one joint figure, counted once
fact-joint-value = Joint value
fact-of-which = Of which { $part }
fact-sites = Sites
fact-locations = Locations
fact-note = Note
fact-evidence = Evidence
evidence-none = none given
fact-footnote = Footnote
fact-status = Status
status-on = on { $date }
in-the-highlights = In the Highlights

## Sources
title-sources = Sources and notes — { $period }
context-statistics = Context statistics
statistics-caption = Numbers from outside the network, with who published them
col-statistic = Statistic
col-source = Source
col-as-of = As of
computed-figures = Computed figures
computed-intro = These numbers are computed from the figures and statistics above; none is typed in.
cannot-compute = It cannot be computed from the numbers shown to the public.
computed-from = Computed from:
published-sentence = The published sentence:
footnotes = Footnotes

## Pledges
title-pledges = Government pledges
verbatim = Verbatim.
paraphrased = Paraphrased.
concerns = Concerns
priority-code = priority { $code }
follow-up = Follow-up:
follow-up-figures = { $count ->
    [one] 1 approved figure in { $period }
   *[other] { $count } approved figures in { $period }
}
under-priorities = under these priorities.

## Working groups
title-groups = Sub-working groups
fact-established = Established
fact-group-status = Status
renamed-to = Renamed { $name }
renamed-in = in { $year }
group-active = Active
group-renamed = Renamed
group-closed = Closed
fact-co-chairs = Co-chairs
fact-secretariat = Secretariat
fact-members = Members

## GCM and SDG
title-gcm = By GCM objective
title-sdg = By SDG target
scheme-gcm = GCM objective
scheme-sdg = SDG target
figure-in = in { $period }

## Search
title-search = Search
search-again = Search again
search-label = Search indicators, results, organisations, pledges, working groups and the Highlights
search-count = { $count ->
    [one] 1 item matches
   *[other] { $count } items match
}
search-capped = (the first { $max } are shown: add a word to narrow the search)
search-nothing = Nothing matches “{ $query }”. Try fewer words, or another spelling.
hit-indicator = Indicator
hit-figure = Result
hit-organisation = Organisation
hit-pledge = Pledge
hit-working_group = Working group
hit-narrative = Highlights

## Downloads
title-downloads = Downloads
downloads-intro = Each period's results as files, made from the store when you ask for them.
downloads-approved-only = The Highlights, HXL and IATI files hold approved figures only;
downloads-sign-in = sign in for the JSON and Excel files, which hold every figure with its status.
downloads-editions = The files as the network published them, which never change, are in the
downloads-editions-link = published editions
downloads-workbooks = Reporting workbooks: download, upload
file-web = Highlights, web page
file-web-what = the published brief: approved figures only
file-pdf = Highlights, PDF brief
file-pdf-what = the published brief: approved figures only
file-hxl = HXL-tagged CSV
file-hxl-what = approved figures, one row each, with HXL hashtags
file-iati = IATI 2.03 activity XML
file-iati-what = approved figures as results of one activity per priority
file-json = JSON
file-json-what = the whole period, every figure of every status
file-xlsx = Excel workbook
file-xlsx-what = every figure of every status, with who set it and when

## Published editions
title-editions = Published editions
editions-intro = A published edition is a period's Highlights and data files as the network published them. Its files never change: a correction after publication makes a new edition, which lists what it corrects. The content hash (SHA-256) identifies an edition's files together.
edition-number = Edition { $number }
edition-latest = (latest)
edition-published = Published
edition-published-by = by { $who }
edition-hash = Content hash
edition-errata = Errata: what this edition corrects
edition-none = Not published yet: its figures may still change.
edition-publish = Publish { $period }
edition-publish-correction = Publish a correction of { $period } (edition { $number })

## Pages of a long list
pages = Pages
previous-page = Previous page
next-page = Next page
page-of = Page { $number } of { $pages }

## Errors
error-title-not-found = Not found
error-title-forbidden = Not allowed
error-title-conflict = Changed by someone else
error-title-too-many = Too many attempts
error-title-sign-in = Sign in
error-title-server = Something went wrong
error-title-refused = Cannot do that
error-help-not-found = There is nothing at this address. It may have moved, or the link may be mistyped.
error-help-forbidden = Your account may not do this.
error-help-conflict = Someone else changed this while you were working on it. Open it again to see their change.
error-help-too-many = Wait a few minutes, then try again.
error-help-sign-in = Sign in to go on.
error-help-server = The server could not answer. Try again in a moment.
error-help-refused = This request cannot be done as it was sent.
error-search = Search the site
back-to-overview = Back to the overview

## Sign-in
email = Email
password = Password

