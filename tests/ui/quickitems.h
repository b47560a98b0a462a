// What the console UI tests do with a Qt Quick scene, like a user and like a reviewer: find items
// by objectName among those really visible, read the texts on screen (and which are cut off),
// click and type, wait for a frame, save screenshots ($UPCOACH_SCREENS_DIR, and a copy under
// $UPCOACH_DOCS_IMAGES_DIR when a run is asked for documentation images).
#pragma once

#include <QImage>
#include <QList>
#include <QQuickItem>
#include <QQuickWindow>
#include <QString>
#include <QStringList>
#include <functional>

namespace upcoach::uitest {

QString screensDir();
void forEachItem(QQuickItem *item, const std::function<void(QQuickItem *)> &visit);
// Visible with all its ancestors, and not fully transparent.
bool reallyVisible(QQuickItem *item);
// The first really visible item with that objectName, or null.
QQuickItem *itemNamed(QQuickWindow *window, const QString &name);
// Really visible Text and TextEdit items under `root`.
QList<QQuickItem *> textItems(QQuickItem *root);
QStringList visibleTexts(QQuickItem *root);
QStringList visibleTexts(QQuickWindow *window);
bool showsText(QQuickItem *root, const QString &needle);
bool showsText(QQuickWindow *window, const QString &needle);
// Texts elided or cut by their width.
QStringList truncatedTexts(QQuickItem *root);
// Distinct colours of every other pixel: an empty or flat picture has few.
int distinctColours(const QImage &image);
// Lets layouts finish their polish (a tab switch, a dialog opening) and one frame render.
void settle(QQuickWindow *window);
// Clicks the centre of the named item; false when it is missing or disabled.
bool click(QQuickWindow *window, const QString &name);
// Types into the focused item (QTest::keyClicks takes widgets only).
void typeText(QQuickWindow *window, const QString &text);
QImage grabAndSave(QQuickWindow *window, const QString &fileName);
// The documentation's copy of a screenshot, when the run is asked for one.
void keepForDocs(const QImage &image, const QString &fileName);
// Whether `item` lies within `box` (scene coordinates, a pixel of slack), clipping or not.
bool within(QQuickItem *item, QQuickItem *box);

} // namespace upcoach::uitest
