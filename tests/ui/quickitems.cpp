#include "quickitems.h"

#include <QDir>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <algorithm>

namespace upcoach::uitest {

QString screensDir()
{
    const QString dir = qEnvironmentVariable("UPCOACH_SCREENS_DIR", QDir::currentPath());
    QDir().mkpath(dir);
    return dir;
}

void forEachItem(QQuickItem *item, const std::function<void(QQuickItem *)> &visit)
{
    visit(item);
    const QList<QQuickItem *> children = item->childItems();
    for (QQuickItem *child : children)
        forEachItem(child, visit);
}

bool reallyVisible(QQuickItem *item)
{
    for (QQuickItem *at = item; at; at = at->parentItem()) {
        if (!at->isVisible() || at->opacity() <= 0)
            return false;
    }
    return true;
}

QQuickItem *itemNamed(QQuickWindow *window, const QString &name)
{
    QQuickItem *found = nullptr;
    forEachItem(window->contentItem(), [&](QQuickItem *item) {
        if (!found && item->objectName() == name && reallyVisible(item))
            found = item;
    });
    return found;
}

QList<QQuickItem *> textItems(QQuickItem *root)
{
    QList<QQuickItem *> items;
    forEachItem(root, [&](QQuickItem *item) {
        if (reallyVisible(item) &&
            (item->inherits("QQuickText") || item->inherits("QQuickTextEdit")))
            items.append(item);
    });
    return items;
}

QStringList visibleTexts(QQuickItem *root)
{
    QStringList texts;
    for (QQuickItem *item : textItems(root))
        texts.append(item->property("text").toString());
    return texts;
}

QStringList visibleTexts(QQuickWindow *window)
{
    return visibleTexts(window->contentItem());
}

bool showsText(QQuickItem *root, const QString &needle)
{
    const QStringList texts = visibleTexts(root);
    return std::any_of(texts.begin(), texts.end(),
                       [&](const QString &text) { return text.contains(needle); });
}

bool showsText(QQuickWindow *window, const QString &needle)
{
    return showsText(window->contentItem(), needle);
}

QStringList truncatedTexts(QQuickItem *root)
{
    QStringList truncated;
    for (QQuickItem *item : textItems(root)) {
        if (item->property("truncated").toBool())
            truncated.append(item->property("text").toString());
    }
    return truncated;
}

int distinctColours(const QImage &image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 2) {
        for (int x = 0; x < image.width(); x += 2)
            colours.insert(image.pixel(x, y));
    }
    return int(colours.size());
}

void settle(QQuickWindow *window)
{
    QSignalSpy swapped(window, &QQuickWindow::frameSwapped);
    window->update();
    swapped.wait(1000);
}

bool click(QQuickWindow *window, const QString &name)
{
    settle(window);
    QQuickItem *item = itemNamed(window, name);
    if (!item || !item->isEnabled())
        return false;
    const QPointF centre = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
    QTest::mouseClick(window, Qt::LeftButton, {}, centre.toPoint());
    return true;
}

void typeText(QQuickWindow *window, const QString &text)
{
    for (const QChar c : text)
        QTest::keyClick(window, c.toLatin1());
}

QImage grabAndSave(QQuickWindow *window, const QString &fileName)
{
    // Two frames: the first may still carry layout from before the last change.
    settle(window);
    settle(window);
    const QImage image = window->grabWindow();
    const QString path = QDir(screensDir()).filePath(fileName);
    if (image.save(path, "PNG"))
        qInfo() << "screenshot" << path;
    return image;
}

void keepForDocs(const QImage &image, const QString &fileName)
{
    const QString docs = qEnvironmentVariable("UPCOACH_DOCS_IMAGES_DIR");
    if (docs.isEmpty() || !QDir().mkpath(docs))
        return;
    const QString path = QDir(docs).filePath(fileName);
    if (image.save(path, "PNG"))
        qInfo() << "documentation image" << path;
}

bool within(QQuickItem *item, QQuickItem *box)
{
    if (!item || !box)
        return false;
    const QRectF mine = item->mapRectToScene(QRectF(0, 0, item->width(), item->height()));
    const QRectF outer = box->mapRectToScene(QRectF(0, 0, box->width(), box->height()));
    return outer.adjusted(-1, -1, 1, 1).contains(mine);
}

} // namespace upcoach::uitest
